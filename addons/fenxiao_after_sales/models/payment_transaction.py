from odoo import fields, models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    fenxiao_rma_ids = fields.One2many(
        "rma", "fenxiao_refund_tx_id", string="After-sales", groups="rma.rma_group_user_own"
    )

    def _fenxiao_sync_rmas(self):
        self.sudo().filtered(lambda tx: tx.operation == "refund").fenxiao_rma_ids.filtered(
            lambda r: r.fenxiao_refund_state == "refunding"
        )._fenxiao_sync_refund_state()

    def _set_done(self, *args, **kwargs):
        result = super()._set_done(*args, **kwargs)
        self._fenxiao_sync_rmas()
        return result

    def _set_error(self, *args, **kwargs):
        result = super()._set_error(*args, **kwargs)
        self._fenxiao_sync_rmas()
        return result

    def _set_canceled(self, *args, **kwargs):
        result = super()._set_canceled(*args, **kwargs)
        self._fenxiao_sync_rmas()
        return result
