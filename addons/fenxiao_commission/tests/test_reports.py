from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from .common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestDistributionReports(FenxiaoCommissionCase):
    """The sales analysis and the referral funnel against figures worked by hand.

    root (depth 1, gold) ─┬─ a (2) ─── a1 (3) ─── a11 (4)
                          └─ b (2)

    - the customer, bound to a1: a first order (2 × 100) and a repeat (1 × 50)
    - a root customer: 1 × 100 with 12 of shipping (not a sale of goods)
    - an a11 customer: 1 × 100 with the promotion 立减20 (−20)
    - a b customer: 2 × 50 and the third free with 买二送一 (worth 50)
    - a draft and a cancelled order of the customer: not sales
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.gold = cls.env["fenxiao.tier"].create({"name": "金牌 Gold", "sequence": 90})
        cls.root.with_user(cls.manager).action_set_tier(cls.gold)
        Partner = cls.env["res.partner"]
        cls.c_root, cls.c_a11, cls.c_b = Partner.create(
            [{"name": "根的顾客"}, {"name": "甲一一的顾客"}, {"name": "乙的顾客"}]
        )
        cls.c_root._fenxiao_bind(cls.root, "visit")
        cls.c_a11._fenxiao_bind(cls.a11, "visit")
        cls.c_b._fenxiao_bind(cls.b, "visit")
        cls.first = cls._order(cls.customer, [(cls.p100, 2)])
        cls.repeat = cls._order(cls.customer, [(cls.p50, 1)])
        cls.shipped = cls._order(cls.c_root, [(cls.p100, 1)], shipping=12.0)
        cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [Command.create({"product_id": cls.p100.id})],
            }
        )
        cancelled = cls._order(cls.customer, [(cls.p100, 5)])
        cancelled._action_cancel()
        # the promotions, once the orders above are confirmed without them
        Program = cls.env["loyalty.program"]
        cls.minus20 = Program.create(
            {
                "name": "立减20",
                "program_type": "promotion",
                "trigger": "auto",
                "applies_on": "current",
                "rule_ids": [
                    Command.create(
                        {"product_ids": [Command.set(cls.p100.ids)], "reward_point_mode": "order"}
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 20,
                            "discount_mode": "per_order",
                            "discount_applicability": "order",
                        }
                    )
                ],
            }
        )
        cls.two_plus_one = Program.create(
            {
                "name": "买二送一",
                "program_type": "buy_x_get_y",
                "trigger": "auto",
                "applies_on": "current",
                "rule_ids": [
                    Command.create(
                        {
                            "product_ids": [Command.set(cls.p50.ids)],
                            "minimum_qty": 2,
                            "reward_point_mode": "unit",
                            "reward_point_amount": 1,
                        }
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "product",
                            "reward_product_id": cls.p50.id,
                            "required_points": 2,
                        }
                    )
                ],
            }
        )
        cls.promoted = cls._promoted_order(cls.c_a11, [(cls.p100, 1)], cls.minus20)
        cls.free = cls._promoted_order(cls.c_b, [(cls.p50, 2)], cls.two_plus_one)
        cls.Report = cls.env["fenxiao.sale.report"]
        cls.network = cls.root | cls.a | cls.b | cls.a1 | cls.a11

    @classmethod
    def _promoted_order(cls, customer, lines, program):
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        order._update_programs_and_rewards()
        for coupon, rewards in order._get_claimable_rewards().items():
            for reward in rewards.filtered(lambda r: r.program_id == program):
                order._apply_program_reward(reward, coupon)
        order.action_confirm()
        return order

    def _sum(self, domain, groupby, measure):
        return {
            group: total
            for group, total in self.Report._read_group(
                [("distributor_id", "in", self.network.ids), *domain], [groupby], [measure]
            )
        }

    def test_sales_by_distributor_depth_and_tier(self):
        by_distributor = self._sum([], "distributor_id", "price_subtotal:sum")
        # a1: 200 + 50; root: 100 (shipping is no sale of goods); a11: 100 − 20;
        # b: 2 × 50 and a free one
        self.assertEqual(
            by_distributor, {self.a1: 250.0, self.root: 100.0, self.a11: 80.0, self.b: 100.0}
        )
        self.assertEqual(
            self._sum([], "depth", "price_subtotal:sum"), {1: 100.0, 2: 100.0, 3: 250.0, 4: 80.0}
        )
        by_tier = self._sum([], "tier_id", "price_subtotal:sum")
        self.assertEqual(by_tier[self.gold], 100.0)
        self.assertEqual(sum(by_tier.values()), 530.0)
        orders = self._sum([], "distributor_id", "order_id:count_distinct")
        self.assertEqual(orders, {self.a1: 2, self.root: 1, self.a11: 1, self.b: 1})

    def test_first_and_repeat_orders(self):
        kinds = {
            order: kind
            for order, kind in self.Report._read_group(
                [("order_id", "in", (self.first | self.repeat | self.shipped).ids)],
                ["order_id", "order_kind"],
            )
        }
        self.assertEqual(kinds, {self.first: "first", self.repeat: "repeat", self.shipped: "first"})

    def test_promotions_discount_and_sales(self):
        by_program = {
            program: (discount, sales)
            for program, discount, sales in self.Report._read_group(
                [("program_id", "in", (self.minus20 | self.two_plus_one).ids)],
                ["program_id"],
                ["discount:sum", "promoted_sales:sum"],
            )
        }
        # 立减20: 20 off a 100 order; 买二送一: a 50 mask free with two bought
        self.assertEqual(
            by_program, {self.minus20: (20.0, 100.0), self.two_plus_one: (50.0, 100.0)}
        )
        # a plain line is no promotion
        plain = self.Report.search([("order_id", "=", self.first.id)])
        self.assertEqual(plain.mapped("discount"), [0.0])
        self.assertFalse(plain.program_id)

    def test_no_draft_cancelled_or_shipping_lines(self):
        lines = self.Report.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(lines.order_id, self.first | self.repeat)
        shipped = self.Report.search([("order_id", "=", self.shipped.id)])
        self.assertEqual(shipped.product_id, self.p100)

    def test_funnel_by_distributor_and_shop_day(self):
        Visit = self.env["fenxiao.referral.visit"]
        # 17:00 UTC on 3 November is already 4 November in Hangzhou
        for when in ("2026-11-03 17:00:00", "2026-11-03 18:00:00", "2026-11-03 10:00:00"):
            Visit.create({"distributor_id": self.a1.id, "date": when})
        signed_up = self.env["res.partner"].create({"name": "注册的新顾客"})
        self.assertTrue(signed_up._fenxiao_bind(self.a1, "signup"))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE fenxiao_binding SET date = %s WHERE partner_id = %s",
            [datetime(2026, 11, 4, 2), signed_up.id],
        )
        self.env.cr.execute(
            "UPDATE sale_order SET date_order = %s WHERE id = %s",
            [datetime(2026, 11, 4, 3), self.first.id],
        )
        self.env.cr.execute(
            "UPDATE sale_order SET date_order = %s WHERE id = %s",
            [datetime(2026, 11, 5, 3), self.repeat.id],
        )
        self.env.invalidate_all()
        Funnel = self.env["fenxiao.funnel.report"]
        rows = {
            (day.isoformat(), distributor): (visits, signups, first, repeat)
            for day, distributor, visits, signups, first, repeat in Funnel._read_group(
                [("distributor_id", "=", self.a1.id)],
                ["date:day", "distributor_id"],
                ["visits:sum", "signups:sum", "first_orders:sum", "repeat_orders:sum"],
            )
        }
        self.assertEqual(
            rows,
            {
                ("2026-11-03", self.a1): (1, 0, 0, 0),
                ("2026-11-04", self.a1): (2, 1, 1, 0),
                ("2026-11-05", self.a1): (0, 0, 0, 1),
            },
        )

    def test_reports_for_distribution_managers_only(self):
        self.assertTrue(self.Report.with_user(self.manager).search_count([]))
        self.assertTrue(self.env["fenxiao.funnel.report"].with_user(self.manager).search_count([]))
        for model in ("fenxiao.sale.report", "fenxiao.funnel.report"):
            self.assertFalse(self.env[model].with_user(self.officer).has_access("read"), model)
            self.assertFalse(self.env[model].with_user(self.portal_user).has_access("read"), model)
