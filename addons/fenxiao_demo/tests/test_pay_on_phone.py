from odoo.tests import HttpCase, tagged

from .payment_simulators import start_alipay, start_wechatpay


@tagged("post_install", "-at_install")
class TestPayOnPhone(HttpCase):
    """王芳 buys on her phone and pays through each provider's simulator; the
    shop refunds her from the back office."""

    browser_size = "375x667"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        self.shopper = self.env.ref("fenxiao_demo.user_demo_shopper")

    def _paid_order(self, provider_code):
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.shopper.partner_id.id), ("state", "=", "sale")],
            order="id desc",
            limit=1,
        )
        tx = order.transaction_ids.filtered(lambda t: t.provider_code == provider_code)
        self.assertEqual(tx.state, "done", "paid, as the gateway's notification said")
        self.assertEqual(tx.amount, order.amount_total)
        return order, tx

    def _refund(self, tx, amount):
        """The back office refunds from the payment, as an accountant does."""
        tx._post_process()
        payment = tx.payment_id
        self.assertTrue(payment, "the payment is in the accounting")
        wizard = (
            self.env["payment.refund.wizard"]
            .with_context(active_model="account.payment", active_id=payment.id)
            .create({"amount_to_refund": amount})
        )
        wizard.action_refund()
        return tx.child_transaction_ids.filtered(lambda t: t.operation == "refund")

    def test_pay_with_wechatpay_and_get_refunded(self):
        simulator = start_wechatpay(self)
        self.start_tour("/shop", "fenxiao_demo_pay_wechatpay", login="shopper")
        order, tx = self._paid_order("wechatpay")
        self.assertEqual(tx.wechatpay_trade_type, "native", "a browser without WeChat: QR code")
        refund = self._refund(tx, 50.0)
        self.assertEqual(tx.payment_id.journal_id.code, "WXPAY", "in the 微信支付 journal")
        self.assertEqual(refund.state, "pending", "WeChat Pay is processing the refund")
        self.env.flush_all()
        self.assertEqual(simulator.finish_refund(refund.reference), 204)
        refund.invalidate_recordset()
        self.assertEqual(refund.state, "done")

    def test_pay_with_alipay_and_get_refunded(self):
        simulator = start_alipay(self)
        self.start_tour("/shop", "fenxiao_demo_pay_alipay", login="shopper")
        order, tx = self._paid_order("alipay")
        refund = self._refund(tx, order.amount_total)
        self.assertEqual(tx.payment_id.journal_id.code, "ZFB", "in the 支付宝 journal")
        self.assertEqual(refund.state, "done")
        self.assertEqual(simulator.trades[tx.reference]["refunded"], order.amount_total)


@tagged("post_install", "-at_install")
class TestUnpaidOrdersReleased(HttpCase):
    """订单超时未支付: the payment is closed at WeChat Pay and the order cancelled."""

    def test_order_cancelled_when_its_payment_expires(self):
        simulator = start_wechatpay(self, auto_pay_seconds=None)
        shopper = self.env.ref("fenxiao_demo.user_demo_shopper")
        product = self.env["product.product"].search([("default_code", "=", "YS-F001")])
        provider = self.env.ref("payment_wechatpay.payment_provider_wechatpay")
        orders, txs = self.env["sale.order"], self.env["payment.transaction"]
        for __ in range(2):
            order = self.env["sale.order"].create(
                {
                    "partner_id": shopper.partner_id.id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
                }
            )
            tx = self.env["payment.transaction"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": self.env.ref("payment.payment_method_wechat_pay").id,
                    "reference": order.name,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": shopper.partner_id.id,
                    "sale_order_ids": [(6, 0, order.ids)],
                }
            )
            tx._get_specific_rendering_values({})
            orders |= order
            txs |= tx
        unpaid, paid_late = orders
        simulator.pay(txs[1].reference, notify=False)  # paid; its notification was lost
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE payment_transaction SET create_date = create_date - interval '2 hours' "
            "WHERE id IN %s",
            [tuple(txs.ids)],
        )
        self.env.invalidate_all()
        self.env["payment.transaction"]._cron_close_expired_payments()
        self.assertEqual(txs.mapped("state"), ["cancel", "done"])
        self.assertEqual(unpaid.state, "cancel", "released: 超时未支付，自动取消")
        self.assertNotEqual(paid_late.state, "cancel", "paid: never cancelled")


@tagged("post_install", "-at_install")
class TestPaymentJournals(HttpCase):
    def test_demo_wallets_have_journals_of_their_own(self):
        for xmlid, code in (
            ("payment_wechatpay.payment_provider_wechatpay", "WXPAY"),
            ("payment_alipay.payment_provider_alipay", "ZFB"),
        ):
            provider = self.env.ref(xmlid)
            self.assertEqual((provider.journal_id.code, provider.journal_id.type), (code, "bank"))
            self.assertEqual(
                provider.journal_id.currency_id or self.env.company.currency_id,
                self.env.ref("base.CNY"),
            )
