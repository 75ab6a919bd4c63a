from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .. import const
from .common import ParcelCase


@tagged("post_install", "-at_install")
class TestTracking(ParcelCase):
    def test_validating_a_delivery_subscribes_it_with_its_own_salt(self):
        _order, picking = self._shipped("SF1400012345678", carrier=self.sf)
        self.assertTrue(picking.parcel_subscribed)
        subscription = self.simulator.subscriptions[("shunfeng", "SF1400012345678")]
        self.assertTrue(subscription["callbackurl"].endswith(const.PUSH_ROUTE))
        self.assertEqual(subscription["salt"], picking.sudo().parcel_salt)
        self.assertEqual(len(picking.sudo().parcel_salt), 32)
        self.assertEqual(subscription["resultv2"], "4")
        self.assertEqual(subscription["phone"], "5678", "SF asks for the receiver's last 4 digits")
        _order2, other = self._shipped("ZT7300099999")
        self.assertNotEqual(other.sudo().parcel_salt, picking.sudo().parcel_salt)

    def test_a_delivery_without_a_parcel_is_not_subscribed(self):
        _order, picking = self._shipped(False)
        self.assertFalse(picking.parcel_subscribed)
        self.assertFalse(self.simulator.subscriptions)
        self.assertEqual(picking.parcel_state, "none")

    def test_already_subscribed_counts_as_subscribed(self):
        _order, picking = self._shipped()
        picking.sudo().parcel_subscribed = False
        self.assertEqual(picking._parcel_subscribe(), picking, "returnCode 501 is subscribed")
        self.assertTrue(picking.parcel_subscribed)

    @mute_logger("odoo.addons.fenxiao_logistics.models.stock_picking")
    def test_refused_subscription_is_retried_by_the_cron(self):
        self.simulator.refuse_subscriptions = 1
        _order, picking = self._shipped()
        self.assertFalse(picking.parcel_subscribed, "Kuaidi100 was busy")
        self.env["stock.picking"]._cron_parcel_tracking()
        self.assertTrue(picking.parcel_subscribed)

    @mute_logger("odoo.addons.fenxiao_logistics.models.stock_picking")
    def test_wrong_key_does_not_subscribe(self):
        self.company.fenxiao_kuaidi100_key = "not-the-key"
        _order, picking = self._shipped()
        self.assertFalse(picking.parcel_subscribed)
        self.assertFalse(self.simulator.subscriptions)

    def test_refresh_reads_the_history_now(self):
        _order, picking = self._shipped()
        key = ("zhongtong", "ZT7300012345")
        self.simulator.events[key] = [
            self.simulator.event("0", "快件已到达【杭州转运中心】", "2026-11-28 09:00:00"),
            self.simulator.event("1", "【杭州西湖区】已揽收", "2026-11-27 18:30:00"),
        ]
        picking.action_parcel_refresh()
        events = picking.parcel_event_ids
        self.assertEqual(len(events), 2)
        self.assertEqual(events[0].context, "快件已到达【杭州转运中心】", "newest first")
        self.assertEqual(str(events[0].event_time), "2026-11-28 01:00:00", "Beijing time to UTC")
        self.assertEqual(picking.parcel_state, "0")
        picking.action_parcel_refresh()
        self.assertEqual(len(self._events(picking)), 2, "a second query stores nothing new")
        query = [form for path, form in self.simulator.received if path == "/poll/query.do"][-1]
        self.assertEqual(query["customer"], self.kuaidi100_customer)

    @mute_logger("odoo.addons.fenxiao_logistics.models.stock_picking")
    def test_query_with_a_wrong_key_fails_cleanly(self):
        _order, picking = self._shipped()
        self.simulator.events[("zhongtong", "ZT7300012345")] = [
            self.simulator.event("1", "已揽收", "2026-11-27 18:30:00")
        ]
        self.company.fenxiao_kuaidi100_key = "not-the-key"
        with self.assertRaisesRegex(UserError, "验证签名失败"):
            picking.action_parcel_refresh()
        self.company.fenxiao_kuaidi100_customer = "SOMEONE-ELSE"
        with self.assertRaisesRegex(UserError, "KEY已过期或不存在"):
            picking.action_parcel_refresh()
        self.assertFalse(self._events(picking))
        self.assertEqual(picking.parcel_state, "none")

    @mute_logger("odoo.addons.fenxiao_logistics.models.stock_picking")
    def test_unreachable_kuaidi100_is_a_clear_error(self):
        _order, picking = self._shipped()
        self.company.fenxiao_kuaidi100_url = "http://127.0.0.1:9"
        with self.assertRaisesRegex(UserError, "Kuaidi100 could not be reached"):
            picking._parcel_query()

    def test_tracking_number_is_letters_and_digits(self):
        _order, picking = self._shipped()
        for number in ("ZT-123456", "12345", "7" * 33, "中通123456"):
            with self.subTest(number=number), self.assertRaises(ValidationError):
                picking.carrier_tracking_ref = number

    def test_a_new_number_starts_a_new_history(self):
        _order, picking = self._shipped()
        self.simulator.advance("ZT7300012345", "1", "已揽收")
        self.assertEqual(len(self._events(picking)), 1)
        salt = picking.sudo().parcel_salt
        picking.carrier_tracking_ref = "ZT7300054321"
        self.assertFalse(picking.parcel_event_ids)
        self.assertEqual(picking.parcel_state, "none")
        self.assertTrue(picking.parcel_subscribed, "the new number is subscribed")
        self.assertNotEqual(picking.sudo().parcel_salt, salt)

    def test_salt_and_key_are_for_administrators_only(self):
        _order, picking = self._shipped()
        clerk = new_test_user(self.env, "fx_parcel_clerk", groups="stock.group_stock_user")
        self.assertEqual(picking.with_user(clerk).parcel_state, "none", "the parcel is readable")
        with self.assertRaises(AccessError):
            _salt = picking.with_user(clerk).parcel_salt
        with self.assertRaises(AccessError):
            _key = self.company.with_user(clerk).fenxiao_kuaidi100_key
        with self.assertRaises(AccessError):
            self.env["fenxiao.parcel.event"].with_user(self.owner).search([])
        with self.assertRaises(AccessError):
            self.zto.with_user(clerk).name = "改名"

    def test_warehouse_clerk_ships_and_refreshes_a_parcel(self):
        clerk = new_test_user(
            self.env,
            "fx_parcel_clerk2",
            groups="stock.group_stock_user,sales_team.group_sale_salesman",
        )
        order = self._paid_order(self.customer, [(self.p100, 1)])
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking = picking.with_user(clerk)
        picking.write({"parcel_carrier_id": self.zto.id, "carrier_tracking_ref": "ZT7300055555"})
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertTrue(picking.parcel_subscribed)
        self.env.flush_all()
        self.simulator.advance("ZT7300055555", "1", "已揽收", "2026-11-27 18:30:00")
        picking.action_parcel_refresh()
        self.assertEqual(len(self._events(picking)), 1)
        self.assertEqual(picking.parcel_state, "1")
