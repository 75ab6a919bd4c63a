from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _post_process(self):
        result = super()._post_process()
        self.filtered(
            lambda tx: tx.state == "done" and tx.operation != "refund"
        ).sale_order_ids._fenxiao_paid()
        return result
