from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _post_process(self):
        result = super()._post_process()
        done = self.filtered(lambda tx: tx.state == "done")
        done.filtered(
            lambda tx: tx.operation != "refund"
        ).sale_order_ids._fenxiao_mark_paid_and_earn()
        Ledger = self.env["fenxiao.commission.line"]
        for refund in done.filtered(lambda tx: tx.operation == "refund"):
            orders = refund.source_transaction_id.sale_order_ids
            Ledger._reverse(orders, "refund", origin=refund.reference)
        return result
