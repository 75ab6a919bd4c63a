from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import AfterSalesCase, png_bytes


@tagged("post_install", "-at_install")
class TestAfterSalesRequest(AfterSalesCase):
    def test_amount_is_what_was_paid_and_never_more(self):
        # 3 x 33.33 less 10%: 89.99 paid; the units' shares are rounded and
        # the last unit gets what is left, to the cent
        order = self._order(self.customer, [(self.p100, 3, 33.33)])
        order.order_line.discount = 10.0
        self._pay(order)
        line = order.order_line
        self.assertAlmostEqual(line.price_total, 89.99)
        first = self._ask(order, 1)
        self.assertEqual(first.fenxiao_amount, 30.0)
        self.assertEqual(first.fenxiao_review, "pending")
        self.assertEqual(first.fenxiao_sale_line_id, line)
        second = self._ask(order, 1)
        third = self._ask(order, 1)
        self.assertEqual((second.fenxiao_amount, third.fenxiao_amount), (30.0, 29.99))
        self.assertAlmostEqual(sum((first | second | third).mapped("fenxiao_amount")), 89.99)
        with self.assertRaisesRegex(UserError, "At most 0"):
            self._ask(order, 1)
        # a rejected request gives its units back
        second._fenxiao_reject("照片看不出问题")
        again = self._ask(order, 1)
        self.assertEqual(again.fenxiao_amount, 30.0)
        self.assertEqual(len(self._requests(order)), 4)

    def test_taxes_are_part_of_what_was_paid(self):
        tax = self.env["account.tax"].create(
            {"name": "增值税 13%", "amount": 13.0, "price_include_override": "tax_excluded"}
        )
        self.p50.taxes_id = tax
        order = self._paid_order(self.customer, [(self.p50, 2)])
        self.assertEqual(order.order_line.price_total, 113.0)
        self.assertEqual(self._ask(order, 1).fenxiao_amount, 56.5)

    def test_order_discount_is_shared_among_the_goods(self):
        # 满减: 50 off 100 + 2 x 50 of goods (shipping 10 apart): 160 paid,
        # each line's units give back their share of 150
        promotion = self.env["product.product"].create({"name": "满199减50", "type": "service"})
        order = self._order(
            self.customer, [(self.p100, 1), (self.p50, 2), (promotion, 1, -50.0)], shipping=10.0
        )
        self._pay(order)
        self.assertEqual(order.amount_total, 160.0)
        p100_line, p50_line = order.order_line[:2]
        self.assertEqual(
            (p100_line._fenxiao_paid_amount(), p50_line._fenxiao_paid_amount()), (75.0, 75.0)
        )
        self.assertEqual(self._ask(order, 1, line=p50_line).fenxiao_amount, 37.5)
        self.assertEqual(self._ask(order, 1, line=p100_line).fenxiao_amount, 75.0)
        self.assertEqual(self._ask(order, 1, line=p50_line).fenxiao_amount, 37.5)
        self.assertEqual(
            sum(self._requests(order).mapped("fenxiao_amount")),
            order.amount_total - 10.0,
            "never more than the goods cost after the discount",
        )

    def test_someone_elses_order_is_refused(self):
        order = self._paid_order(self.customer, [(self.p100, 1)])
        with self.assertRaisesRegex(UserError, "not yours"):
            self._ask(order, 1, partner=self.stranger)
        self.assertFalse(self._requests(order))

    def test_more_than_bought_and_malformed_quantities_are_refused(self):
        order = self._paid_order(self.customer, [(self.p100, 2)])
        other = self._paid_order(self.stranger, [(self.p100, 2)])
        with self.assertRaisesRegex(UserError, "At most 2"):
            self._ask(order, 3)
        with self.assertRaisesRegex(UserError, "At most 2"):
            self._ask(order, 10**9)
        for quantity in (0, -1, 1.5, "1", True, None, float("nan")):
            with self.assertRaisesRegex(UserError, "whole number", msg=repr(quantity)):
                self._ask(order, quantity)
        with self.assertRaisesRegex(UserError, "no such line"):
            self._ask(order, 1, line=other.order_line[0])
        unknown = self.env["sale.order.line"].browse(2**31 - 1)
        with self.assertRaisesRegex(UserError, "no such line"):
            self._ask(order, 1, line=unknown)
        # two lines of the same product in one call count together
        with self.assertRaisesRegex(UserError, "At most 1"):
            self.Rma._fenxiao_request(
                order,
                self.customer,
                [
                    {
                        "line_id": order.order_line.id,
                        "quantity": q,
                        "operation_id": self.refund_only.id,
                        "reason_id": self.reason.id,
                    }
                    for q in (1, 2)
                ],
            )
        self.assertFalse(self._requests(order))

    def test_unpaid_order_is_refused(self):
        order = self._order(self.customer, [(self.p100, 1)])
        with self.assertRaisesRegex(UserError, "paid order"):
            self._ask(order, 1)

    def test_photos_must_be_real_images_of_at_most_5_mb(self):
        order = self._paid_order(self.customer, [(self.p100, 2)])
        attachments = self.env["ir.attachment"].search_count([("res_model", "=", "rma")])
        with self.assertRaisesRegex(ValidationError, "not a photo"):
            self._ask(order, 1, photos=[("broken.jpg", b"\xff\xd8\xff not a jpeg at all")])
        with self.assertRaisesRegex(ValidationError, "not a photo"):
            self._ask(order, 1, photos=[("truncated.png", png_bytes()[:40])])
        with self.assertRaisesRegex(ValidationError, "larger than 5 MB"):
            self._ask(order, 1, photos=[("big.png", png_bytes() + b"\0" * (5 * 1024 * 1024))])
        with self.assertRaisesRegex(ValidationError, "At most 6"):
            self._ask(order, 1, photos=[("p.png", png_bytes())] * 7)
        self.assertFalse(self._requests(order), "nothing written")
        self.assertEqual(
            self.env["ir.attachment"].search_count([("res_model", "=", "rma")]), attachments
        )
        rma = self._ask(order, 1, photos=[("破损.png", png_bytes())])
        photo = rma._fenxiao_photos()
        self.assertEqual((photo.name, photo.mimetype), ("破损.png", "image/png"))

    def test_after_the_window_requests_are_refused(self):
        order = self._paid_order(self.customer, [(self.p100, 2)])
        self._deliver(order, fields.Datetime.now() - timedelta(days=8))
        with self.assertRaisesRegex(UserError, "window has closed.*7 days"):
            self._ask(order, 1, self.return_refund)
        self.company.fenxiao_after_sales_days = 10
        self.assertEqual(self._ask(order, 1, self.return_refund).fenxiao_kind, "return")

    def test_refund_only_before_receipt_return_after_shipping(self):
        order = self._paid_order(self.customer, [(self.p100, 2)])
        with self.assertRaisesRegex(UserError, "not been shipped"):
            self._ask(order, 1, self.return_refund)
        self._deliver(order)
        with self.assertRaisesRegex(UserError, "return and refund instead"):
            self._ask(order, 1, self.refund_only)
        rma = self._ask(order, 1, self.exchange)
        self.assertEqual(rma.fenxiao_amount, 0.0, "an exchange gives no money back")
        self.assertEqual(rma.move_id.picking_id.picking_type_code, "outgoing")

    def test_reject_and_ask_for_more(self):
        order = self._paid_order(self.customer, [(self.p100, 2)])
        rma = self._ask(order, 1)
        with self.assertRaisesRegex(UserError, "not waiting for information"):
            rma._fenxiao_add_info(self.customer, "补充", [])
        rma._fenxiao_ask_info("请补充破损处的照片")
        self.assertEqual(rma.fenxiao_status, "need_info")
        with self.assertRaisesRegex(UserError, "not yours"):
            rma._fenxiao_add_info(self.stranger, "补充", [])
        with self.assertRaisesRegex(ValidationError, "not a photo"):
            rma._fenxiao_add_info(self.customer, "补充", [("x.png", b"nope")])
        self.assertEqual(rma.fenxiao_review, "need_info")
        rma._fenxiao_add_info(self.customer, "瓶盖处有裂缝", [("crack.png", png_bytes())])
        self.assertEqual(rma.fenxiao_review, "pending", "back in the queue")
        self.assertIn("瓶盖处有裂缝", rma.description)
        self.assertEqual(len(rma._fenxiao_photos()), 1)
        wizard = self.env["fenxiao.after.sales.review"].create(
            {"rma_ids": [Command.set(rma.ids)], "mode": "reject", "message": "超出保修范围"}
        )
        wizard.action_confirm()
        self.assertEqual((rma.fenxiao_review, rma.state), ("rejected", "cancelled"))
        self.assertEqual(rma.fenxiao_reject_reason, "超出保修范围")
        timeline = rma._fenxiao_portal_messages()
        self.assertTrue(any("超出保修范围" in (m.body or "") for m in timeline))
        with self.assertRaisesRegex(UserError, "already been answered"):
            rma._fenxiao_reject("again")

    def test_cron_approves_unanswered_refund_only_on_unshipped_orders(self):
        unshipped = self._paid_order(self.customer, [(self.p100, 2)])
        old = self._ask(unshipped, 1)
        young = self._ask(unshipped, 1)
        shipped = self._paid_order(self.customer, [(self.p100, 2)])
        on_shipped = self._ask(shipped, 1)
        # shipped after the request: now the warehouse must look first
        self._deliver(shipped)
        self._age(old | on_shipped, 49)
        self._age(young, 47)
        self.Rma._cron_fenxiao_auto_approve()
        self.assertEqual(old.fenxiao_review, "approved")
        self.assertEqual(old.state, "refunded", "rma's credit note is made")
        self.assertEqual(old.refund_id.state, "posted", "it rectifies the posted invoice")
        self.assertEqual(
            old.fenxiao_refund_state, "failed", "paid by bank transfer: refunded by hand"
        )
        self.assertEqual(young.fenxiao_review, "pending")
        self.assertEqual(on_shipped.fenxiao_review, "pending")
        self.company.fenxiao_after_sales_auto_approve_hours = 0
        self._age(young, 100)
        self.Rma._cron_fenxiao_auto_approve()
        self.assertEqual(young.fenxiao_review, "pending", "0: never")
        old.action_fenxiao_mark_refunded()
        self.assertEqual(old.fenxiao_status, "refunded")

    def test_exchange_ships_the_replacement_once_the_return_is_received(self):
        order = self._paid_order(self.customer, [(self.p100, 2)])
        self._deliver(order)
        rma = self._ask(order, 1, self.exchange)
        with self.assertRaisesRegex(UserError, "Approve the after-sales request"):
            rma.action_confirm()
        rma.action_fenxiao_approve()
        self.assertEqual(rma.state, "confirmed")
        self.assertEqual(rma.fenxiao_status, "to_return")
        self.assertTrue(rma.reception_move_id, "the return is expected")
        with self.assertRaisesRegex(UserError, "tracking number"):
            rma._fenxiao_set_return_parcel(
                self.customer, self.env.ref("fenxiao_logistics.carrier_shunfeng"), "SF12 34"
            )
        with self.assertRaisesRegex(UserError, "tracking number"):
            rma._fenxiao_set_return_parcel(
                self.customer,
                self.env.ref("fenxiao_logistics.carrier_shunfeng"),
                "SF１２３４５６７",
            )
        rma._fenxiao_set_return_parcel(
            self.customer, self.env.ref("fenxiao_logistics.carrier_shunfeng"), "SF1234567890"
        )
        self.assertEqual(rma.fenxiao_status, "returning")
        self._receive(rma)
        self.assertEqual(rma.state, "waiting_replacement")
        delivery = rma.delivery_move_ids.picking_id
        self.assertEqual(delivery.picking_type_code, "outgoing")
        self.assertEqual(delivery.move_ids.product_id, self.p100)
        self.assertEqual(rma.fenxiao_status, "replacing")
        template = self.env.ref("fenxiao_after_sales.mail_template_after_sales_returned")
        subject = template._render_field("subject", rma.ids, compute_lang=True)[rma.id]
        self.assertIn(
            subject, rma.message_ids.mapped("subject"), "the shopper is told the return arrived"
        )
        self.assertEqual(rma.fenxiao_refund_state, "none", "no money back")

    @mute_logger("odoo.addons.fenxiao_after_sales.models.rma")
    def test_a_failing_mail_undoes_nothing(self):
        order = self._paid_order(self.customer, [(self.p100, 2)])
        rma = self._ask(order, 1)

        def broken(*args, **kwargs):
            raise ValueError("SMTP down")

        with patch.object(type(rma), "message_post_with_source", broken):
            rma.action_fenxiao_approve()
        self.assertEqual(rma.fenxiao_review, "approved")
        self.assertEqual(rma.state, "refunded", "the credit note stays")
        self.assertTrue(rma.refund_id)
        self.assertTrue(any("could not be sent" in (m.body or "") for m in rma.message_ids))

    def test_refunded_units_not_shipped_are_taken_off_the_delivery(self):
        order = self._paid_order(self.customer, [(self.p100, 3)])
        move = order.order_line.move_ids
        self.assertEqual(move.product_uom_qty, 3)
        self._ask(order, 1).action_fenxiao_approve()
        self.assertEqual((move.product_uom_qty, move.state), (2, "assigned"))
        self._ask(order, 2).action_fenxiao_approve()
        self.assertEqual(move.state, "cancel", "nothing left to ship")
        self.assertEqual(order.picking_ids.state, "cancel")

    def test_units_returned_outside_a_request_cannot_be_asked_again(self):
        order = self._paid_order(self.customer, [(self.p100, 3)])
        self._deliver(order)
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=order.picking_ids.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.quantity = 1
        returned.button_validate()
        with self.assertRaisesRegex(UserError, "At most 2"):
            self._ask(order, 3, self.return_refund)
        rma = self._ask(order, 2, self.return_refund)
        rma.action_fenxiao_approve()
        self._receive(rma)
        # the request's own reception is not counted twice
        with self.assertRaisesRegex(UserError, "At most 0"):
            self._ask(order, 1, self.return_refund)
        self.assertEqual(self.Rma._fenxiao_line_balance(order.order_line)[0], 0)
