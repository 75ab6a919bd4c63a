from odoo import http
from odoo.tests import HttpCase, tagged

from .common import AfterSalesCase, png_bytes


@tagged("post_install", "-at_install")
class TestAfterSalesPortal(AfterSalesCase, HttpCase):
    """The shopper's pages, through HTTP and in a browser at phone width."""

    # iPhone SE / 8 portrait, with touch events: the width most shoppers use.
    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.lang_zh_CN").active = True
        cls.shopper.write({"lang": "zh_CN", "password": "fx_after_sales_shopper"})
        cls.order = cls._paid_order(cls.customer, [(cls.p100, 2)])
        cls._deliver(cls.order)

    def test_shopper_asks_for_a_return_with_a_photo_on_a_phone(self):
        self.start_tour(
            f"/my/orders/{self.order.id}", "fenxiao_after_sales_return", login=self.shopper.login
        )
        rma = self._requests(self.order)
        self.assertEqual(len(rma), 1)
        self.assertEqual(
            (rma.fenxiao_kind, rma.product_uom_qty, rma.fenxiao_review), ("return", 1, "pending")
        )
        self.assertEqual(rma.fenxiao_amount, 100.0)
        self.assertEqual(rma.fenxiao_reason_id, self.env.ref("fenxiao_after_sales.reason_damaged"))
        self.assertEqual(rma._fenxiao_photos().mimetype, "image/png")

    def _post(self, url, data, files=None):
        data = dict(data, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, files=files)

    def test_pages_refuse_other_shoppers_and_bad_input(self):
        stranger_order = self._paid_order(self.stranger, [(self.p100, 1)])
        self.authenticate(self.shopper.login, self.shopper.login)
        # someone else's order: not found, nothing written
        response = self._post(
            f"/my/orders/{stranger_order.id}/after_sales",
            {
                "line_id": stranger_order.order_line.id,
                "quantity": "1",
                "operation_id": self.return_refund.id,
                "reason_id": self.reason.id,
            },
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._requests(stranger_order))
        url = f"/my/orders/{self.order.id}/after_sales"
        form = {
            "line_id": self.order.order_line.id,
            "operation_id": self.return_refund.id,
            "reason_id": self.reason.id,
        }
        # malformed quantities: 400
        for quantity in ("-1", "1.5", "１", "1e3", "99999999999"):
            response = self._post(url, dict(form, quantity=quantity))
            self.assertEqual(response.status_code, 400, quantity)
        # more than bought, not a photo: the form again with the reason
        response = self._post(url, dict(form, quantity="3"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("alert-danger", response.text)
        response = self._post(
            url, dict(form, quantity="1"), files=[("photos", ("a.png", b"<svg/>", "image/png"))]
        )
        self.assertIn("alert-danger", response.text)
        self.assertFalse(self._requests(self.order), "nothing written")
        # a real request, then its page; someone else cannot see it
        response = self._post(
            url, dict(form, quantity="1"), files=[("photos", ("ok.png", png_bytes(), "image/png"))]
        )
        rma = self._requests(self.order)
        self.assertEqual(len(rma), 1)
        self.assertTrue(response.url.endswith(f"/my/after_sales/{rma.id}"))
        self.assertEqual(self.url_open("/my/after_sales").status_code, 200)
        other = self._ask(stranger_order, 1, partner=self.stranger)
        self.assertEqual(self.url_open(f"/my/after_sales/{other.id}").status_code, 404)
        # the return parcel, once approved
        rma.action_fenxiao_approve()
        shunfeng = self.env.ref("fenxiao_logistics.carrier_shunfeng")
        response = self._post(
            f"/my/after_sales/{rma.id}/return", {"carrier_id": shunfeng.id, "tracking_ref": "SF 1"}
        )
        self.assertIn("alert-danger", response.text)
        response = self._post(
            f"/my/after_sales/{rma.id}/return", {"carrier_id": "", "tracking_ref": "SF1234567890"}
        )
        self.assertIn("alert-danger", response.text, "no carrier")
        self._post(
            f"/my/after_sales/{rma.id}/return",
            {"carrier_id": shunfeng.id, "tracking_ref": "SF1234567890"},
        )
        self.assertEqual(rma.return_tracking_ref, "SF1234567890")
        reception = rma.reception_move_id.picking_id
        self.assertEqual(
            (reception.parcel_carrier_id, reception.carrier_tracking_ref),
            (shunfeng, "SF1234567890"),
            "the return's reception is the parcel Kuaidi100 follows",
        )
        response = self._post(
            f"/my/after_sales/{other.id}/return",
            {"carrier_id": shunfeng.id, "tracking_ref": "SF1234567890"},
        )
        self.assertEqual(response.status_code, 404)
