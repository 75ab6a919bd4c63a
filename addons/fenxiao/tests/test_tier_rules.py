from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import FenxiaoNetworkCase


@tagged("post_install", "-at_install")
class TestTierRules(FenxiaoNetworkCase):
    """Tier conditions over a period, all or any; up at once, down after a grace period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["fenxiao.tier"]
        Tier.search([]).write({"min_team_sales": 0, "condition_ids": [Command.clear()]})
        cls.basic = cls.env.ref("fenxiao.tier_basic")
        cls.silver = cls.env.ref("fenxiao.tier_silver")
        cls.gold = cls.env.ref("fenxiao.tier_gold")
        # lower than every other tier: the floor distributors fall back to
        cls.basic.sequence = -1000
        cls.silver.condition_ids = [
            Command.create({"metric": "personal_sales", "threshold": 1000.0, "period_days": 90})
        ]
        cls.gold.write(
            {
                "condition_logic": "all",
                "sequence": 99999,
                "condition_ids": [
                    Command.create({"metric": "team_sales", "threshold": 5000.0}),
                    Command.create({"metric": "paying_customers", "threshold": 3}),
                ],
            }
        )
        (cls.root | cls.a | cls.b | cls.a1 | cls.a11).with_context(
            fenxiao_logged_change=True
        ).tier_id = cls.basic
        cls.company.write({"fenxiao_tier_downgrade": False, "fenxiao_tier_grace_days": 30})
        cls.product = cls.env["product.product"].create(
            {"name": "面霜 Cream", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.network = cls.root | cls.a | cls.b | cls.a1 | cls.a11

    def _sell(self, distributor, amount, days_ago=0, customer=None):
        if not customer:
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
        if days_ago:
            order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def _changes(self, distributors=None, now=None):
        changes = self.Distributor._fenxiao_tier_evaluation(distributors or self.network, now=now)
        return {change["distributor"]: change for change in changes}

    def _run(self, now=None):
        changes = self.Distributor._fenxiao_tier_evaluation(self.network, now=now)
        return self.Distributor._fenxiao_tier_apply(changes, now=now)

    def test_upgrade_at_the_threshold_not_one_fen_below(self):
        self._sell(self.a, 999.99)
        self.assertNotIn(self.a, self._changes(), "one fen below the threshold")
        self._sell(self.a, 0.01)
        change = self._changes()[self.a]
        self.assertEqual((change["action"], change["new_tier"]), ("up", self.silver))
        self._run()
        self.assertEqual(self.a.tier_id, self.silver)
        self.assertEqual(self.root.tier_id, self.basic, "the upline's personal sales are zero")

    def test_history_keeps_the_figures_and_the_distributor_is_told(self):
        self._sell(self.a, 1200.0)
        self._run()
        log = self.a.log_ids.filtered(lambda entry: entry.event == "tier")
        self.assertEqual((log.old_tier_id, log.new_tier_id), (self.basic, self.silver))
        amount = self.company.currency_id.format(1200.0)
        threshold = self.company.currency_id.format(1000.0)
        self.assertIn(amount, log.figures)
        self.assertIn(threshold, log.figures)
        self.assertIn("90", log.figures)
        message = self.a.message_ids.filtered(lambda m: self.a.partner_id in m.partner_ids)
        self.assertIn(self.silver.name, message.body)
        self.assertIn("1,200.00", message.body)
        self.assertIn(self.a.partner_id, message.partner_ids, "the distributor is notified")
        self.assertEqual(message.author_id, self.env.ref("base.partner_root"))

    def test_all_conditions_or_any(self):
        # 5,000 of team sales for root through a11, but only two paying customers
        self._sell(self.a11, 3000.0)
        self._sell(self.root, 2000.0)
        self.assertNotEqual(self._changes().get(self.root, {}).get("new_tier"), self.gold)
        self.gold.condition_logic = "any"
        self.assertEqual(self._changes()[self.root]["new_tier"], self.gold)
        self.gold.condition_logic = "all"
        self._sell(self.root, 10.0)
        self.assertNotEqual(self._changes()[self.root]["new_tier"], self.gold, "2 customers")
        self._sell(self.root, 10.0)
        self.assertEqual(self._changes()[self.root]["new_tier"], self.gold, "3 customers")
        self.assertNotIn(self.a, self._changes(), "the team's sales are not a's customers")

    def test_period_window(self):
        self._sell(self.a, 1000.0, days_ago=91)
        self.assertNotIn(self.a, self._changes(), "an order 91 days ago is outside 90 days")
        self.assertEqual(
            self._changes(now=fields.Datetime.now() - timedelta(days=2))[self.a]["new_tier"],
            self.silver,
            "seen from two days earlier it is inside the period",
        )
        self.silver.condition_ids.period_days = 0
        self.assertEqual(self._changes()[self.a]["new_tier"], self.silver, "0 days: all time")

    def test_own_purchases_and_courses(self):
        self.silver.condition_ids.write({"metric": "own_purchases", "threshold": 300.0})
        self._sell(self.b, 300.0, customer=self.b.partner_id)
        self._sell(self.a, 5000.0)  # a's customer, not a's own purchase
        changes = self._changes()
        self.assertEqual(changes[self.b]["new_tier"], self.silver)
        self.assertNotIn(self.a, changes)
        # courses: no training module fills the hook, so nobody has completed one
        self.silver.condition_ids.write({"metric": "courses", "threshold": 1})
        self.assertFalse(self._changes())

    def test_no_downgrade_without_the_setting(self):
        self.a.with_context(fenxiao_logged_change=True).tier_id = self.silver
        self.assertFalse(self._changes(now=fields.Datetime.now() + timedelta(days=400)))

    def test_downgrade_after_the_grace_period_only(self):
        self.company.fenxiao_tier_downgrade = True
        self.a.with_context(fenxiao_logged_change=True).tier_id = self.silver
        now = fields.Datetime.now()
        self._run(now)
        self.assertEqual(self.a.tier_at_risk_since, now.date())
        self.assertEqual(self.a.tier_id, self.silver)
        self.assertFalse(self._changes(now=now + timedelta(days=29)), "still in the grace period")
        self._run(now + timedelta(days=30))
        self.assertEqual(self.a.tier_id, self.basic)
        self.assertFalse(self.a.tier_at_risk_since)
        log = self.a.log_ids.filtered(lambda entry: entry.event == "tier")
        self.assertEqual(log.new_tier_id, self.basic)
        self.assertIn(self.company.currency_id.format(1000.0), log.figures)

    def test_downgrade_to_the_highest_tier_still_met(self):
        self.company.fenxiao_tier_downgrade = True
        self.a.with_context(fenxiao_logged_change=True).tier_id = self.gold
        self._sell(self.a, 1500.0)
        now = fields.Datetime.now()
        self._run(now)
        self._run(now + timedelta(days=31))
        self.assertEqual(self.a.tier_id, self.silver)

    def test_at_risk_cleared_when_met_again(self):
        self.company.fenxiao_tier_downgrade = True
        self.a.with_context(fenxiao_logged_change=True).tier_id = self.silver
        self._run()
        self.assertTrue(self.a.tier_at_risk_since)
        self._sell(self.a, 1000.0)
        self.assertEqual(self._changes()[self.a]["action"], "clear")
        self._run(fields.Datetime.now() + timedelta(days=40))
        self.assertFalse(self.a.tier_at_risk_since)
        self.assertEqual(self.a.tier_id, self.silver)

    def test_a_managers_new_tier_starts_without_risk(self):
        self.company.fenxiao_tier_downgrade = True
        self.a.with_context(fenxiao_logged_change=True).tier_id = self.gold
        now = fields.Datetime.now()
        self._run(now - timedelta(days=60))
        self.assertTrue(self.a.tier_at_risk_since)
        self.a.with_user(self.manager).action_set_tier(self.silver, "季度考核")
        self.assertFalse(self.a.tier_at_risk_since)
        self.assertEqual(self._changes(now=now)[self.a]["action"], "at_risk", "not moved down")

    def test_suspended_distributors_are_not_moved(self):
        self._sell(self.a11, 2000.0)
        self.company.fenxiao_tier_downgrade = True
        self.a11.with_context(fenxiao_logged_change=True).state = "suspended"
        self.b.with_context(fenxiao_logged_change=True).write(
            {"state": "suspended", "tier_id": self.silver.id}
        )
        self._run(fields.Datetime.now() + timedelta(days=100))
        self.assertEqual(self.a11.tier_id, self.basic)
        self.assertEqual(self.b.tier_id, self.silver)
        self.assertFalse(self.b.tier_at_risk_since)

    def test_recruit_count_condition_is_refused(self):
        for metric in ("recruits", "direct_count"):
            with self.assertRaisesRegex(ValidationError, "《禁止传销条例》"):
                self.env["fenxiao.tier.condition"].create(
                    {"tier_id": self.gold.id, "metric": metric, "threshold": 10}
                )
        with self.assertRaisesRegex(ValidationError, "article 7"):
            self.silver.condition_ids.write({"metric": "team_size"})
        self.assertNotIn(
            "recruits", dict(self.env["fenxiao.tier.condition"]._fields["metric"].selection)
        )

    def test_condition_reads_as_a_sentence(self):
        condition = self.silver.condition_ids
        self.assertIn(self.company.currency_id.format(1000.0), condition.name)
        self.assertIn("90", condition.name)
        self.assertIn("≥", condition.name)
        self.assertIn(" and ", self.gold.rules_text)
        self.gold.condition_logic = "any"
        self.assertIn(" or ", self.gold.rules_text)
        self.silver.condition_ids = [Command.clear()]
        self.silver.min_team_sales = 800.0
        self.assertIn(self.company.currency_id.format(800.0), self.silver.rules_text)
        self.assertEqual(self.basic.rules_text, "Set by a manager")

    def test_preview_writes_nothing_and_apply_runs_the_same_code(self):
        self._sell(self.a, 1000.0)
        logs = self.env["fenxiao.distributor.log"].search_count([])
        action = self.env["fenxiao.tier.preview"].with_user(self.manager).action_open()
        preview = self.env["fenxiao.tier.preview"].browse(action["res_id"])
        line = preview.line_ids.filtered(lambda line: line.distributor_id == self.a)
        self.assertEqual((line.action, line.new_tier_id), ("up", self.silver))
        self.assertIn(self.company.currency_id.format(1000.0), line.figures)
        self.assertEqual(self.a.tier_id, self.basic)
        self.assertEqual(self.env["fenxiao.distributor.log"].search_count([]), logs)
        preview.with_user(self.manager).action_apply()
        self.assertEqual(self.a.tier_id, self.silver)

    def test_progress_least_condition_for_all_best_for_any(self):
        self.silver.condition_ids = [
            Command.create({"metric": "paying_customers", "threshold": 4}),
        ]
        self._sell(self.a, 500.0)  # half the sales, one customer of four
        self.assertEqual(self.a._tier_progress()[self.a], (self.silver, 0.25))
        self.silver.condition_logic = "any"
        self.assertEqual(self.a._tier_progress()[self.a], (self.silver, 0.5))

    def test_legacy_team_sales_threshold_still_works(self):
        self.silver.condition_ids = [Command.clear()]
        self.silver.min_team_sales = 800.0
        self._sell(self.a11, 800.0)
        changes = self._changes()
        self.assertEqual(
            {d for d, c in changes.items() if c["new_tier"] == self.silver},
            set(self.root | self.a | self.a1 | self.a11),
        )

    def test_query_count_does_not_grow_with_distributors(self):
        many = self.Distributor
        for index in range(40):
            many |= self._distributor(f"分销员 {index}", self.a1 if index % 2 else self.b)
        for distributor in many[:5]:
            self._sell(distributor, 1000.0)
        counts = []
        for distributors in (many[:10], many):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            changes = self.Distributor._fenxiao_tier_evaluation(distributors)
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(len(changes), 5)
        self.assertEqual(counts[0], counts[1])
