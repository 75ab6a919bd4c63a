from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _set_error(self, state_message, extra_allowed_states=()):
        txs = super()._set_error(state_message, extra_allowed_states=extra_allowed_states)
        for partner in txs.partner_id:
            self.env["payment.risk.event"]._check_failed_burst(partner)
        return txs
