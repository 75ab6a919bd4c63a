from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _fenxiao_mark_paid_and_earn(self):
        # Checked once the order's commission is recorded (with what a credit
        # note posted before the payment already took back), so that the hold
        # covers all of it.
        newly_paid = super()._fenxiao_mark_paid_and_earn()
        self.env["payment.risk.event"]._fenxiao_check_earned(newly_paid)
        return newly_paid
