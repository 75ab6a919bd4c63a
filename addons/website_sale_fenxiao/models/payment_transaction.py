from odoo import models

from odoo.addons.fenxiao.tools.back_office import as_back_office


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _on_payment_expired(self):
        result = super()._on_payment_expired()
        self._fenxiao_release_expired_orders()
        return result

    def _fenxiao_release_expired_orders(self):
        """An order whose payment was closed unpaid after the time to pay is
        cancelled (订单超时未支付，自动取消), as Chinese shoppers expect;
        one that another payment is still settling, or settled, stays."""
        for tx in self.filtered(lambda t: t.state == "cancel"):
            for order in tx.sale_order_ids.filtered(lambda o: o.state in ("draft", "sent")):
                others = order.transaction_ids.filtered(
                    lambda t: t.state in ("pending", "authorized", "done")
                )
                if others:
                    continue
                order._action_cancel()
                # a cron or a notification cancels it: the system says why
                order = as_back_office(order, order.company_id)
                order.message_post(
                    body=order.env._(
                        "Cancelled: payment %(reference)s was not made within the time to pay.",
                        reference=tx.reference,
                    )
                )
