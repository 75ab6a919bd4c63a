from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase

from .. import _post_init_hook


@tagged("post_install", "-at_install")
class TestBrushing(FenxiaoCommissionCase):
    """The customer is bound to a1, whose upline is a: an order earns both."""

    def _events(self, kind):
        return self.env["payment.risk.event"].search(
            [("kind", "=", kind), ("partner_id", "=", self.customer.id)]
        )

    def _assert_flagged_and_held(self, kind, order, distributor=None):
        event = self._events(kind)
        self.assertEqual(len(event), 1, kind)
        self.assertEqual(event.sale_order_id, order)
        self.assertEqual(event.fenxiao_distributor_id, distributor or self.a1)
        self.assertEqual(event.fenxiao_hold_state, "held")
        lines = order.fenxiao_commission_line_ids
        self.assertTrue(lines)
        self.assertEqual(event.fenxiao_line_ids, lines)
        self.assertTrue(all(lines.mapped("held")), "the whole order's commission waits")
        return event

    def _assert_innocent(self, order):
        self.assertFalse(self.env["payment.risk.event"].search([("sale_order_id", "=", order.id)]))
        lines = order.fenxiao_commission_line_ids
        self.assertTrue(lines)
        self.assertFalse(any(lines.mapped("held")))

    def _settle_ending(self, date_to):
        """Settle a period of the past (ended, whatever today is)."""
        return self.env["fenxiao.commission.settlement"]._settle(
            self.company, date_to - timedelta(days=6), date_to
        )

    def _make_available(self, orders, days_ago=20):
        """Deliver ``orders`` and release their commission as of ``days_ago``."""
        self._deliver(orders, fields.Datetime.now() - timedelta(days=days_ago + 8))
        day = fields.Date.context_today(self.company) - timedelta(days=days_ago)
        while day.weekday() >= 5:  # not the end of a demo week: that one is settled
            day -= timedelta(days=1)
        orders.fenxiao_commission_line_ids._sql_release(day)
        return day

    # ------------------------------------------------------------------
    # a. the same phone number
    # ------------------------------------------------------------------
    def test_buyer_with_the_distributors_mobile_number_is_flagged_and_held(self):
        self.a1.partner_id.mobile = "13800138000"
        self.customer.phone = "+86 138-0013-8000"
        order = self._paid_order(self.customer, [(self.p100, 1)])
        event = self._assert_flagged_and_held("fenxiao_shared_phone", order)
        self.assertIn("138****8000", event.details)
        self.assertNotIn("13800138000", event.details, "masked")
        self.assertTrue(event.activity_ids, "a to-do for a distribution manager")

    def test_buyer_with_another_mobile_number_is_not_flagged(self):
        self.a1.partner_id.mobile = "13800138000"
        self.customer.mobile = "13900139000"
        self._assert_innocent(self._paid_order(self.customer, [(self.p100, 1)]))

    def test_own_purchase_is_not_brushing(self):
        self.a1.partner_id.mobile = "13800138000"
        self._assert_innocent(self._paid_order(self.a1.partner_id, [(self.p100, 1)]))

    def test_the_signals_cost_one_query_whatever_the_order_and_the_team(self):
        def queries(lines):
            order = self._order(self.customer, lines)
            order.fenxiao_paid_date = fields.Datetime.now()
            self.env["fenxiao.commission.line"]._earn(order)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["payment.risk.event"]._fenxiao_check_earned(order)
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries([(self.p100, 1)]), 1)
        for number in range(40):
            self._distributor(f"下级 {number}", self.a1)
            self.env["res.partner"].create(
                {"name": f"地址 {number}", "type": "delivery", "parent_id": self.a1.partner_id.id}
            )
        self.assertEqual(queries([(self.p100, 1), (self.p50, 2)]), 1)

    # ------------------------------------------------------------------
    # b. delivered to the distributor's address
    # ------------------------------------------------------------------
    def _ship_to(self, street, city="杭州市", zip_code="310000"):
        return self.env["res.partner"].create(
            {
                "name": "收货人",
                "type": "delivery",
                "parent_id": self.customer.id,
                "street": street,
                "city": city,
                "zip": zip_code,
            }
        )

    def test_order_delivered_to_the_distributors_address_is_flagged_and_held(self):
        self.env["res.partner"].create(
            {
                "name": "甲一 收货",
                "type": "delivery",
                "parent_id": self.a1.partner_id.id,
                "street": "文一西路 969 号",
                "city": "杭州市",
            }
        )
        shipping = self._ship_to("文一西路969号")
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self.assertEqual(order.partner_shipping_id, shipping)
        self._assert_flagged_and_held("fenxiao_shared_address", order)

    def test_order_delivered_elsewhere_is_not_flagged(self):
        self.a1.partner_id.write({"street": "文一西路 969 号", "city": "杭州市"})
        self._ship_to("文一西路 969 号", city="宁波市")  # same street, another city
        self._assert_innocent(self._paid_order(self.customer, [(self.p100, 1)]))

    # ------------------------------------------------------------------
    # c. the same payout account
    # ------------------------------------------------------------------
    def _buyer_distributor(self):
        return self.Distributor.create(
            {"partner_id": self.customer.id, "parent_id": self.a1.id, "state": "active"}
        )

    def test_buyer_withdrawing_to_the_distributors_account_is_flagged_and_held(self):
        self._payout_account(self.a1)
        self._payout_account(self._buyer_distributor())  # the same card number
        order = self._paid_order(self.customer, [(self.p100, 1)])
        event = self._assert_flagged_and_held("fenxiao_shared_payout", order)
        self.assertIn("7890", event.details)
        self.assertNotIn("6225881234567890", event.details)

    def test_buyer_with_an_account_of_their_own_is_not_flagged(self):
        self._payout_account(self.a1)
        self.env["fenxiao.payout.account"].create(
            {
                "distributor_id": self._buyer_distributor().id,
                "method": "bank",
                "holder_name": "顾客",
                "bank_name": "招商银行 杭州分行",
                "account_number": "6225880000001111",
            }
        )
        self._assert_innocent(self._paid_order(self.customer, [(self.p100, 1)]))

    # ------------------------------------------------------------------
    # d. refunded soon after the commission was settled
    # ------------------------------------------------------------------
    def test_refund_soon_after_settlement_is_flagged_and_holds_the_buyers_open_commission(
        self,
    ):
        settled = self._paid_order(self.customer, [(self.p100, 1)])
        self._settle_ending(self._make_available(settled))
        self.assertEqual(set(settled.fenxiao_commission_line_ids.mapped("state")), {"settled"})
        pending = self._paid_order(self.customer, [(self.p50, 1)])
        self._credit_note(settled, {self.p100: 1})
        events = self._events("fenxiao_quick_refund")
        self.assertEqual(len(events), 2, "one for each distributor paid on it: a1 and a")
        self.assertEqual(events.sale_order_id, settled)
        self.assertEqual(events.fenxiao_distributor_id, self.a1 | self.a)
        self.assertEqual(set(events.mapped("fenxiao_hold_state")), {"held"})
        self.assertTrue(all(pending.fenxiao_commission_line_ids.mapped("held")))
        lines = settled.fenxiao_commission_line_ids
        clawback = lines.filtered(lambda line: line.kind == "reversal")
        self.assertTrue(clawback)
        self.assertFalse(any(clawback.mapped("held")), "the clawback is never held")

    def test_refund_long_after_settlement_is_not_flagged(self):
        settled = self._paid_order(self.customer, [(self.p100, 1)])
        settlement = self._settle_ending(self._make_available(settled))
        self.env.cr.execute(
            "UPDATE fenxiao_commission_settlement SET create_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(days=16), settlement.id],
        )
        settlement.invalidate_recordset(["create_date"])
        pending = self._paid_order(self.customer, [(self.p50, 1)])
        self._credit_note(settled, {self.p100: 1})
        self.assertFalse(self._events("fenxiao_quick_refund"))
        self.assertFalse(any(pending.fenxiao_commission_line_ids.mapped("held")))

    # ------------------------------------------------------------------
    # Settlement and lifting the hold
    # ------------------------------------------------------------------
    def test_settlement_skips_held_lines_until_the_hold_is_lifted(self):
        self.a1.partner_id.mobile = "13800138000"
        self.customer.mobile = "13800138000"
        held = self._paid_order(self.customer, [(self.p100, 1)])
        other = self.env["res.partner"].create({"name": "顾客二"})
        other._fenxiao_bind(self.a1, "manual")
        clean = self._paid_order(other, [(self.p50, 1)])
        day = self._make_available(held | clean)
        first = self._settle_ending(day)
        self.assertEqual(first.line_ids, clean.fenxiao_commission_line_ids)
        self.assertEqual(set(held.fenxiao_commission_line_ids.mapped("state")), {"available"})
        event = self._events("fenxiao_shared_phone")
        event.with_user(self.manager).action_fenxiao_lift_hold()
        self.assertFalse(any(held.fenxiao_commission_line_ids.mapped("held")))
        self.assertEqual(event.fenxiao_hold_state, "lifted")
        self.assertEqual(event.state, "done")
        self.assertTrue(
            any(self.manager.name in message.body for message in event.message_ids),
            "who lifted it, in the event's chatter",
        )
        self.assertIn(held.name, self.a1.message_ids[0].body, "logged on the distributor")
        second = self._settle_ending(day + timedelta(days=1))
        self.assertEqual(second.line_ids, held.fenxiao_commission_line_ids)

    def test_lifting_a_hold_needs_a_distribution_administrator(self):
        self.a1.partner_id.mobile = "13800138000"
        self.customer.mobile = "13800138000"
        order = self._paid_order(self.customer, [(self.p100, 1)])
        line = order.fenxiao_commission_line_ids[:1]
        with self.assertRaises(AccessError):
            line.with_user(self.officer).action_lift_hold()
        with self.assertRaises(AccessError):
            self._events("fenxiao_shared_phone").with_user(self.officer).action_fenxiao_lift_hold()
        self.assertTrue(line.held)
        line.with_user(self.manager).action_lift_hold()
        self.assertFalse(line.held)
        self.assertEqual(
            self._events("fenxiao_shared_phone").fenxiao_hold_state, "held", "one line is left"
        )

    def test_distribution_managers_review_brushing_events_only(self):
        self.a1.partner_id.mobile = "13800138000"
        self.customer.mobile = "13800138000"
        order = self._paid_order(self.customer, [(self.p100, 1)])
        Risk = self.env["payment.risk.event"]
        gateway = Risk._flag("unknown_transaction", provider_code="alipay", reference="NOBODY")
        seen = Risk.with_user(self.manager).search([])
        self.assertIn(self._events("fenxiao_shared_phone"), seen)
        self.assertNotIn(gateway, seen)
        # the demo data may hold brushing events of its own: only their kinds are seen
        self.assertIn(order, seen.sale_order_id)
        self.assertTrue(all(kind.startswith("fenxiao_") for kind in seen.mapped("kind")))
        accountant = new_test_user(
            self.env, "fx_risk_accountant", groups="base.group_user,account.group_account_manager"
        )
        self.assertIn(gateway, Risk.with_user(accountant).search([]))
        self.assertIn(self._events("fenxiao_shared_phone"), Risk.with_user(accountant).search([]))

    def test_commission_held_by_two_events_waits_for_both(self):
        self.a1.partner_id.write({"mobile": "13800138000", "street": "文一西路 969 号"})
        self.customer.write({"mobile": "13800138000", "street": "文一西路969号"})
        order = self._paid_order(self.customer, [(self.p100, 1)])
        phone = self._events("fenxiao_shared_phone")
        address = self._events("fenxiao_shared_address")
        self.assertTrue(phone and address)
        lines = order.fenxiao_commission_line_ids
        phone.with_user(self.manager).action_fenxiao_lift_hold()
        self.assertTrue(all(lines.mapped("held")), "the address event still holds them")
        self.assertEqual(phone.fenxiao_hold_state, "lifted")
        address.with_user(self.manager).action_fenxiao_lift_hold()
        self.assertFalse(any(lines.mapped("held")))

    def test_accounts_stored_before_the_module_are_fingerprinted_on_install(self):
        mine, theirs = self._payout_account(self.a1), self._payout_account(self.b)
        self.env.cr.execute(
            "UPDATE fenxiao_payout_account SET account_fingerprint = NULL WHERE id IN %s",
            [(mine.id, theirs.id)],
        )
        (mine | theirs).invalidate_recordset(["account_fingerprint"])
        _post_init_hook(self.env)
        self.assertTrue(mine.account_fingerprint)
        self.assertEqual(mine.account_fingerprint, theirs.account_fingerprint, "the same card")
        self.assertNotIn("7890", mine.account_fingerprint)

    def test_a_held_lines_reversal_is_held_with_it(self):
        self.a1.partner_id.mobile = "13800138000"
        self.customer.mobile = "13800138000"
        order = self._paid_order(self.customer, [(self.p100, 2)])
        self._credit_note(order, {self.p100: 1})
        reversals = order.fenxiao_commission_line_ids.filtered(lambda line: line.kind == "reversal")
        self.assertTrue(reversals)
        self.assertTrue(all(reversals.mapped("held")))
