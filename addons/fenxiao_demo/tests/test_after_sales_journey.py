import secrets

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.fenxiao_logistics.tests.kuaidi100_simulator import Kuaidi100Simulator

from .payment_simulators import start_wechatpay

PARCEL = "ZT7300088661"
RETURN_PARCEL = "ZT7700088662"


@tagged("post_install", "-at_install")
class TestAfterSalesJourney(HttpCase):
    """Issue 18's loop at phone width, on the demo shop: 王芳 pays with WeChat
    Pay (its simulator), follows her parcel (Kuaidi100's simulator pushes its
    news), confirms receipt and asks for a return with a photo; the manager
    approves, the warehouse receives the return, WeChat Pay refunds her; she
    sees it refunded and 李娜 sees her commission reversed."""

    browser_size = "375x667"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        self.shopper = self.env.ref("fenxiao_demo.user_demo_shopper")
        self.lina = self.env.ref("fenxiao_demo.dist_lina")
        self.zto = self.env.ref("fenxiao_logistics.carrier_zhongtong")
        company = self.lina.company_id
        customer, key = secrets.token_hex(16).upper(), secrets.token_urlsafe(12)
        self.kuaidi100 = Kuaidi100Simulator(customer, key).start()
        self.addCleanup(self.kuaidi100.stop)
        company.write(
            {
                "fenxiao_kuaidi100_customer": customer,
                "fenxiao_kuaidi100_key": key,
                "fenxiao_kuaidi100_url": self.kuaidi100.url,
            }
        )
        self.wechatpay = start_wechatpay(self)
        # the shop invoices paid orders, so that the return's credit note
        # reverses an invoice (without one, rma leaves it in draft)
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", True)

    def _buy_and_pay(self):
        """王芳 buys the firming cream on her phone and pays with WeChat Pay."""
        partner = self.shopper.partner_id
        if partner.fenxiao_distributor_id != self.lina:
            partner.fenxiao_distributor_id = self.lina
        Order = self.env["sale.order"]
        before = Order.search([("partner_id", "=", partner.id)])
        self.start_tour("/shop", "fenxiao_demo_pay_wechatpay", login="shopper")
        order = Order.search([("partner_id", "=", partner.id)]) - before
        self.assertEqual(len(order), 1, "one new order")
        self.assertEqual(order.state, "sale")
        tx = order.transaction_ids.filtered(lambda t: t.provider_code == "wechatpay")
        self.assertEqual(tx.state, "done", "paid, as WeChat Pay's notification said")
        if not tx.is_post_processed:
            tx._post_process()  # as the shopper's status page or the cron does
        self.assertTrue(order.fenxiao_paid_date)
        invoice = order.invoice_ids
        self.assertEqual((invoice.move_type, invoice.state), ("out_invoice", "posted"))
        commission = order.fenxiao_commission_line_ids.filtered(
            lambda line: line.distributor_id == self.lina
        )
        self.assertEqual(len(commission), 1)
        self.assertEqual((commission.kind, commission.level), ("commission", 1))
        self.assertEqual(commission.state, "frozen", "frozen until the after-sales window ends")
        self.assertGreater(commission.amount, 0)
        return order, tx, commission

    def _ship(self, order):
        """The warehouse ships by 中通: Kuaidi100 follows the parcel and pushes
        揽收 then 派件 to the shop."""
        picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(len(picking), 1)
        picking.write({"parcel_carrier_id": self.zto.id, "carrier_tracking_ref": PARCEL})
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.env.flush_all()
        self.assertTrue(picking.parcel_subscribed, "subscribed at Kuaidi100")
        self.assertIn(("zhongtong", PARCEL), self.kuaidi100.subscriptions)
        for state, context in (
            ("1", "【杭州西湖区】已揽收"),
            ("5", "【上海徐汇区】快递员正在派件，请保持电话畅通"),
        ):
            status, answer = self.kuaidi100.advance(PARCEL, state, context)
            self.assertEqual((status, answer["returnCode"]), (200, "200"), "signed and accepted")
        picking.invalidate_recordset()
        self.assertEqual(len(picking.parcel_event_ids), 2)
        self.assertEqual(picking.parcel_state, "5")
        self.assertFalse(picking.parcel_received_date)
        return picking

    def test_parcel_receipt_return_refund_and_commission_reversed(self):
        order, tx, commission = self._buy_and_pay()
        picking = self._ship(order)

        # The shopper follows the parcel, confirms receipt and asks for a return.
        Rma = self.env["rma"]
        self.start_tour(f"/my/orders/{order.id}", "fenxiao_demo_after_sales_ask", login="shopper")
        picking.invalidate_recordset()
        self.assertTrue(picking.parcel_received_date, "确认收货")
        rma = Rma.search([("fenxiao_order_id", "=", order.id)])
        self.assertEqual(len(rma), 1)
        line = order.order_line.filtered(lambda sol: sol.product_id == rma.product_id)
        # the demo's 满299减50 applies: she paid the cream less the discount
        paid = line._fenxiao_paid_amount()
        self.assertEqual(paid, order.amount_total)
        self.assertLess(paid, line.price_total)
        self.assertRecordValues(
            rma,
            [
                {
                    "fenxiao_review": "pending",
                    "fenxiao_status": "pending",
                    "fenxiao_kind": "return",
                    "product_uom_qty": 1.0,
                    "fenxiao_reason_id": self.env.ref("fenxiao_after_sales.reason_quality").id,
                    "fenxiao_amount": paid,
                }
            ],
        )
        self.assertIn("盖子", rma.description)
        self.assertEqual(len(rma._fenxiao_photos()), 1, "the photo came with it")

        # The manager approves; the shopper sends the jar back by 中通.
        manager = new_test_user(
            self.env,
            "fx_demo_after_sales_manager",
            groups="rma.rma_group_user_all,account.group_account_invoice",
        )
        rma.with_user(manager).action_fenxiao_approve()
        self.assertEqual(rma.fenxiao_status, "to_return")
        self.assertFalse(rma.fenxiao_refund_tx_id, "nothing refunded before the goods are back")
        rma._fenxiao_set_return_parcel(self.shopper.partner_id, self.zto, RETURN_PARCEL)
        self.assertEqual(rma.fenxiao_status, "returning")
        reception = rma.reception_move_id.picking_id
        self.env.flush_all()
        self.assertIn(("zhongtong", RETURN_PARCEL), self.kuaidi100.subscriptions)

        # The warehouse receives it: the refund goes to WeChat Pay.
        for move in reception.move_ids:
            move.quantity = move.product_uom_qty
        reception.button_validate()
        self.assertEqual(reception.state, "done")
        refund_tx = rma.fenxiao_refund_tx_id
        self.assertEqual(rma.fenxiao_status, "refunding")
        self.assertEqual(refund_tx.source_transaction_id, tx)
        self.assertEqual(refund_tx.amount, -paid, "all she paid")
        self.assertEqual(refund_tx.state, "pending", "WeChat Pay is processing the refund")
        self.assertEqual(len(self.wechatpay.refunds), 1, "WeChat Pay was asked once")
        credit_note = rma.refund_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.reversed_entry_id, order.invoice_ids - credit_note)
        self.assertEqual(credit_note.invoice_line_ids.product_id, line.product_id)
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1.0)
        # the credit note reverses 李娜's commission: the whole order came back
        reversal = order.fenxiao_commission_line_ids.filtered(
            lambda line: line.distributor_id == self.lina and line.kind == "reversal"
        )
        self.assertEqual(len(reversal), 1)
        self.assertEqual(reversal.reversed_line_id, commission)
        self.assertEqual(reversal.amount, -commission.amount)
        self.assertEqual(
            (reversal.reversal_cause, reversal.origin), ("credit_note", credit_note.name)
        )
        self.assertEqual(reversal.state, "frozen", "not settled yet: no clawback")

        # WeChat Pay finishes the refund and says so (REFUND.SUCCESS over HTTP).
        self.env.flush_all()
        self.assertEqual(self.wechatpay.finish_refund(refund_tx.reference), 204)
        self.env.invalidate_all()
        self.assertEqual(refund_tx.state, "done")
        self.assertEqual(rma.fenxiao_refund_state, "refunded")
        self.assertEqual(rma.fenxiao_status, "refunded")
        refund_tx._post_process()  # as the post-processing cron does
        self.assertEqual(
            order.fenxiao_commission_line_ids.filtered(
                lambda line: line.distributor_id == self.lina
            ),
            commission | reversal,
            "the refund of what the credit note reversed reverses nothing more",
        )
        payment = refund_tx.payment_id
        self.assertEqual(
            (payment.amount, payment.payment_type, payment.journal_id.code),
            (paid, "outbound", "WXPAY"),
            "paid back from the 微信支付 journal",
        )

        # She sees it refunded; 李娜 sees the reversal in her centre.
        self.start_tour(
            f"/my/after_sales/{rma.id}", "fenxiao_demo_after_sales_refunded", login="shopper"
        )
        self.start_tour(
            f"/my/fenxiao/commission?kind=reversal&fx_order={order.name}",
            "fenxiao_demo_after_sales_reversal",
            login="distributor",
        )
