from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestHold(FenxiaoCommissionCase):
    def _available(self, order, day):
        self._deliver(order, fields.Datetime.now() - timedelta(days=30))
        order.fenxiao_commission_line_ids._sql_release(day)

    def test_held_lines_wait_out_of_settlement_until_the_hold_is_lifted(self):
        day = fields.Date.context_today(self.company) - timedelta(days=20)
        while day.weekday() >= 5:  # not the end of a demo week: that one is settled
            day -= timedelta(days=1)
        held = self._paid_order(self.customer, [(self.p100, 1)])
        other = self.env["res.partner"].create({"name": "顾客二"})
        other._fenxiao_bind(self.a1, "manual")
        clean = self._paid_order(other, [(self.p50, 1)])
        lines = held.fenxiao_commission_line_ids
        self.assertEqual(lines._put_on_hold("测试"), lines)
        self.assertIn(held.name, self.a1.message_ids[0].body, "said in the distributor's chatter")
        self._available(held | clean, day)
        balance = self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]
        self.assertEqual(balance["held"], 10.0)
        self.assertEqual(balance["available"], 5.0, "what the next settlement pays")
        Settlement = self.env["fenxiao.commission.settlement"]
        first = Settlement._settle(self.company, day - timedelta(days=6), day)
        self.assertEqual(first.line_ids, clean.fenxiao_commission_line_ids)
        self.assertEqual(set(lines.mapped("state")), {"available"}, "still released, only held")
        with self.assertRaises(UserError, msg="the ledger is append-only"):
            lines.write({"held": False})
        with self.assertRaises(AccessError):
            lines.with_user(self.officer).action_lift_hold()
        lines.with_user(self.manager).action_lift_hold()
        self.assertFalse(any(lines.mapped("held")))
        second = Settlement._settle(self.company, day, day + timedelta(days=1))
        self.assertEqual(second.line_ids, lines)
        self.assertFalse(lines._put_on_hold("测试"), "settled lines are history")
