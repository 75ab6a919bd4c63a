from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _post_process(self):
        result = super()._post_process()
        done = self.filtered(lambda tx: tx.state == "done")
        done.filtered(lambda tx: tx.operation != "refund").sale_order_ids._fenxiao_check_paid()
        for refund in done.filtered(lambda tx: tx.operation == "refund"):
            refund.source_transaction_id.sale_order_ids._fenxiao_sync_reversals(
                "refund", origin=refund.reference
            )
        return result
