from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.fenxiao.tests.common import FenxiaoNetworkCase

from .common import FenxiaoTrainingMixin


@tagged("post_install", "-at_install")
class TestTierCourses(FenxiaoTrainingMixin, FenxiaoNetworkCase):
    """The courses metric, and courses a tier requires on top of its conditions.

    root ─┬─ a ─── a1 ─── a11
          └─ b
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["fenxiao.tier"]
        Tier.search([]).write(
            {
                "min_team_sales": 0,
                "condition_ids": [Command.clear()],
                "required_course_ids": [Command.clear()],
            }
        )
        cls.basic = cls.env.ref("fenxiao.tier_basic")
        cls.silver = cls.env.ref("fenxiao.tier_silver")
        cls.gold = cls.env.ref("fenxiao.tier_gold")
        cls.basic.sequence = -1000
        cls.gold.sequence = 99999
        cls.network = cls.root | cls.a | cls.b | cls.a1 | cls.a11
        cls.network.with_context(fenxiao_logged_change=True).tier_id = cls.basic
        cls.company.write({"fenxiao_tier_downgrade": False})
        cls.product = cls.env["product.product"].create(
            {"name": "面霜 Cream", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.knowledge = cls._course("产品知识", lessons=2)
        cls.compliance = cls._course("合规分销", lessons=2)

    def _sell(self, distributor, amount):
        customer = self.env["res.partner"].create({"name": "顾客"})
        customer._fenxiao_bind(distributor, "manual")
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": amount}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _changes(self):
        changes = self.Distributor._fenxiao_tier_evaluation(self.network)
        return {change["distributor"]: change for change in changes}

    # ------------------------------------------------------------------
    # The courses metric
    # ------------------------------------------------------------------
    def test_courses_metric_counts_completed_courses_only(self):
        self._learn(self.a.partner_id, self.knowledge)
        self._learn(self.a.partner_id, self.compliance, lessons=1)
        self._learn(self.b.partner_id, self.compliance, lessons=1)
        counts = self.network._fenxiao_tier_metric_courses(None)
        self.assertEqual(counts, {self.a.id: 1}, "a half-done course is not completed")
        self._learn(self.b.partner_id, self.compliance, lessons=2)
        self.network.invalidate_recordset()
        counts = self.network._fenxiao_tier_metric_courses(None)
        self.assertEqual(counts, {self.a.id: 1, self.b.id: 1})

    def test_courses_metric_counts_completed_courses_whatever_the_period(self):
        # eLearning keeps no completion date: a period cannot leave a course out
        self._learn(self.a.partner_id, self.knowledge)
        self._learn(self.a.partner_id, self.compliance)
        figures = self.network._fenxiao_tier_figures({("courses", 0), ("courses", 7)})
        self.assertEqual(figures["courses", 0], {self.a.id: 2})
        self.assertEqual(figures["courses", 7], {self.a.id: 2})

    def test_courses_condition_promotes_at_its_threshold(self):
        self.silver.condition_ids = [
            Command.create({"metric": "courses", "threshold": 2, "period_days": 30})
        ]
        self._learn(self.a.partner_id, self.knowledge)
        self.assertNotIn(self.a, self._changes(), "one course of two")
        self._learn(self.a.partner_id, self.compliance)
        change = self._changes()[self.a]
        self.assertEqual((change["action"], change["new_tier"]), ("up", self.silver))

    # ------------------------------------------------------------------
    # Required courses
    # ------------------------------------------------------------------
    def test_tier_is_not_reached_without_its_required_course(self):
        self.silver.write(
            {
                "condition_ids": [
                    Command.create({"metric": "personal_sales", "threshold": 1000.0})
                ],
                "required_course_ids": [Command.set(self.compliance.ids)],
            }
        )
        self._sell(self.a, 1000.0)
        self._learn(self.a.partner_id, self.compliance, lessons=1)
        self.assertNotIn(self.a, self._changes(), "sales met, course half done")
        self._learn(self.a.partner_id, self.compliance)
        change = self._changes()[self.a]
        self.assertEqual((change["action"], change["new_tier"]), ("up", self.silver))
        figures = self.Distributor._fenxiao_tier_figures_text(change["figures"])
        self.assertIn("合规分销", figures, "the log says which course counted")
        self.Distributor._fenxiao_tier_apply([change])
        self.assertEqual(self.a.tier_id, self.silver)

    def test_required_course_is_needed_even_when_any_condition_is_enough(self):
        self.gold.write(
            {
                "condition_logic": "any",
                "condition_ids": [
                    Command.create({"metric": "personal_sales", "threshold": 500.0}),
                    Command.create({"metric": "paying_customers", "threshold": 50}),
                ],
                "required_course_ids": [Command.set((self.knowledge | self.compliance).ids)],
            }
        )
        self._sell(self.b, 600.0)
        self.assertEqual(self.b._tier_progress()[self.b], (self.gold, 0.0), "sales alone")
        self._learn(self.b.partner_id, self.knowledge)
        self.assertNotIn(self.b, self._changes(), "one of the two required courses")
        self.assertEqual(self.b._tier_progress()[self.b], (self.gold, 0.5))
        self._learn(self.b.partner_id, self.compliance)
        self.assertEqual(self._changes()[self.b]["new_tier"], self.gold)

    def test_courses_alone_do_not_replace_the_conditions(self):
        self.silver.write(
            {
                "condition_ids": [
                    Command.create({"metric": "personal_sales", "threshold": 1000.0})
                ],
                "required_course_ids": [Command.set(self.knowledge.ids)],
            }
        )
        self._learn(self.a.partner_id, self.knowledge)
        self.assertNotIn(self.a, self._changes())

    def test_each_tier_counts_its_own_required_courses(self):
        self.silver.required_course_ids = self.knowledge
        self.gold.required_course_ids = self.compliance
        self._learn(self.a.partner_id, self.knowledge)
        self._learn(self.b.partner_id, self.compliance)
        changes = self._changes()
        self.assertEqual(changes[self.a]["new_tier"], self.silver)
        self.assertEqual(changes[self.b]["new_tier"], self.gold)

    def test_progress_and_rules_read_the_required_courses(self):
        self.silver.write(
            {
                "condition_ids": [
                    Command.create({"metric": "personal_sales", "threshold": 1000.0})
                ],
                "required_course_ids": [Command.set(self.compliance.ids)],
            }
        )
        self.assertIn("合规分销", self.silver.rules_text)
        self._sell(self.a, 2000.0)
        next_tier, share = self.a._tier_progress()[self.a]
        self.assertEqual((next_tier, share), (self.silver, 0.0), "sales met, course not begun")
        self._learn(self.a.partner_id, self.compliance, lessons=1)
        next_tier, share = self.a._tier_progress()[self.a]
        self.assertEqual(share, 0.5, "half the course's lessons")
        self.assertNotIn(self.a, self._changes())
        self._learn(self.a.partner_id, self.compliance)
        next_tier, share = self.a._tier_progress()[self.a]
        self.assertEqual(share, 1.0)

    def test_required_courses_as_the_distributor_stands_in_them(self):
        self.silver.required_course_ids = self.knowledge | self.compliance
        self._learn(self.a.partner_id, self.knowledge)
        self._learn(self.a.partner_id, self.compliance, lessons=1)
        lines = {
            line["course"]: (line["completion"], line["completed"])
            for line in self.a._fenxiao_required_courses(self.silver)
        }
        self.assertEqual(lines, {self.knowledge: (100, True), self.compliance: (50, False)})
        self.assertEqual(
            [line["completion"] for line in self.b._fenxiao_required_courses(self.silver)],
            [0, 0],
        )

    def _queries(self, distributors, now):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.Distributor._fenxiao_tier_evaluation(distributors, now=now)
        return self.env.cr.sql_log_count - before

    def test_evaluation_query_count_does_not_grow_with_distributors(self):
        self.silver.required_course_ids = self.knowledge
        self.silver.condition_ids = [Command.create({"metric": "courses", "threshold": 1})]
        self._learn(self.a.partner_id, self.knowledge)
        self._learn(self.b.partner_id, self.knowledge)
        now = fields.Datetime.now() + timedelta(seconds=1)
        few = self._queries(self.a, now)
        more = self.network | self.Distributor.concat(
            *(self._distributor(f"新人 {index}", self.root) for index in range(5))
        )
        self.assertEqual(self._queries(more, now), few)
