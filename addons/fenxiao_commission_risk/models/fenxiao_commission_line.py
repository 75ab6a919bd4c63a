from odoo import api, models


class FenxiaoCommissionLine(models.Model):
    """The ledger only triggers: the brushing signals are the risk events'
    (payment.risk.event, ``_fenxiao_check_*``), the hold is the ledger's."""

    _inherit = "fenxiao.commission.line"

    @api.model
    def _reverse(self, orders, cause, origin=None):
        reversals = super()._reverse(orders, cause, origin=origin)
        self.env["payment.risk.event"]._fenxiao_check_reversed(reversals)
        return reversals

    def _lift_hold(self):
        lifted = super()._lift_hold()
        if lifted:
            events = (
                self.env["payment.risk.event"]
                .sudo()
                .search(
                    [("fenxiao_hold_state", "=", "held"), ("fenxiao_line_ids", "in", lifted.ids)]
                )
            )
            events.filtered(
                lambda event: not any(event.fenxiao_line_ids.mapped("held"))
            ).fenxiao_hold_state = "lifted"
        return lifted
