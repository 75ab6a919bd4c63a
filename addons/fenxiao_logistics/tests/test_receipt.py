from datetime import timedelta

from freezegun import freeze_time

from odoo import fields, http
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ParcelCase


@tagged("post_install", "-at_install")
class TestReceipt(ParcelCase):
    def _confirm_on_portal(self, order):
        """POST 确认收货 as the signed-in user, with the session's CSRF token."""
        return self.url_open(
            f"/my/orders/{order.id}/fenxiao_confirm_receipt",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )

    def test_owner_confirms_receipt_on_the_portal_once(self):
        order, picking = self._shipped()
        self.authenticate("fx_parcel_owner", "fx_parcel_owner")
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertIn("o_fenxiao_confirm_receipt", page.text)
        response = self._confirm_on_portal(order)
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/my/orders/{order.id}", response.headers["Location"])
        picking.invalidate_recordset()
        first = picking.parcel_received_date
        self.assertTrue(first)
        self.env.cr.execute(
            "UPDATE stock_picking SET parcel_received_date = %s WHERE id = %s",
            [first - timedelta(hours=1), picking.id],
        )
        picking.invalidate_recordset()
        self.assertEqual(self._confirm_on_portal(order).status_code, 303, "a double tap")
        self.assertFalse(
            order.sudo().action_fenxiao_confirm_receipt(), "a second click marks nothing"
        )
        picking.invalidate_recordset()
        self.assertEqual(
            picking.parcel_received_date, first - timedelta(hours=1), "the first date stays"
        )
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertNotIn("o_fenxiao_confirm_receipt", page.text, "no button once received")

    def test_another_shopper_cannot_confirm_receipt(self):
        order, picking = self._shipped()
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        response = self._confirm_on_portal(order)
        self.assertEqual(response.status_code, 403)
        picking.invalidate_recordset()
        self.assertFalse(picking.parcel_received_date)

    @mute_logger("odoo.http")
    def test_confirm_receipt_needs_the_csrf_token(self):
        order, picking = self._shipped()
        self.authenticate("fx_parcel_owner", "fx_parcel_owner")
        response = self.url_open(
            f"/my/orders/{order.id}/fenxiao_confirm_receipt",
            data={"csrf_token": "forged"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        picking.invalidate_recordset()
        self.assertFalse(picking.parcel_received_date)

    def test_confirm_receipt_leaves_parcels_received_earlier(self):
        order, picking = self._shipped()
        signed = fields.Datetime.now() - timedelta(days=2)
        picking._parcel_mark_received(signed)
        order.action_fenxiao_confirm_receipt()
        self.assertEqual(picking.parcel_received_date, signed)

    def test_receipt_is_confirmed_automatically_after_the_days_set(self):
        now = fields.Datetime.now()
        _order, old = self._shipped("ZT7300000001", when=now - timedelta(days=11))
        _order, recent = self._shipped("ZT7300000002", when=now - timedelta(days=3))
        _order, untracked = self._shipped(False, when=now - timedelta(days=12))
        with freeze_time(now):
            self.env["stock.picking"]._cron_parcel_auto_receive()
        self.assertEqual(old.parcel_received_date, now)
        self.assertEqual(untracked.parcel_received_date, now)
        self.assertFalse(recent.parcel_received_date)
        self.company.fenxiao_receipt_auto_days = 2
        self.env["stock.picking"]._cron_parcel_auto_receive()
        self.assertTrue(recent.parcel_received_date)
        self.assertEqual(old.parcel_received_date, now, "never moved")


@tagged("post_install", "-at_install")
class TestParcelTimelineTour(ParcelCase):
    def test_shopper_follows_the_parcel_and_confirms_receipt_on_a_phone(self):
        order, picking = self._shipped("ZT7300012345")
        self.simulator.advance("ZT7300012345", "1", "【杭州西湖区】已揽收", "2026-11-27 18:30:00")
        self.simulator.advance(
            "ZT7300012345", "5", "快件派送中，快递员 张三 13900000000", "2026-11-29 08:10:00"
        )
        self.browser_size = "375x667"
        self.start_tour(
            f"/my/orders/{order.id}", "fenxiao_logistics_parcel_timeline", login="fx_parcel_owner"
        )
        picking.invalidate_recordset()
        self.assertTrue(picking.parcel_received_date)
