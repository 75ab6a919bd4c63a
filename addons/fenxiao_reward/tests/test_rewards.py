from datetime import date, datetime

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.fenxiao_ranking.tests.common import FenxiaoRankingCase, beijing

# July 2019, far from the demo shop's orders
JULY = date(2019, 7, 20)


@tagged("post_install", "-at_install")
class TestRewards(FenxiaoRankingCase):
    """root ─┬─ a ─── a1 ─── a11
             └─ b

    July 2019: a1 sells 500, b 300, a11 200 (a11's sales are a1's team sales too).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c1, c2, c3 = (cls._customer(f"顾客 C{i}") for i in range(1, 4))
        cls._sale(cls.a1, c1, 500, beijing(2019, 7, 2, 10, 0))
        cls._sale(cls.b, c2, 300, beijing(2019, 7, 12, 10, 0))
        cls._sale(cls.a11, c3, 200, beijing(2019, 7, 31, 23, 0))
        # August: not July's
        cls._sale(cls.b, c2, 9000, beijing(2019, 8, 1, 0, 30))
        cls.env.flush_all()
        cls.Rule = cls.env["fenxiao.reward.rule"]
        cls.Reward = cls.env["fenxiao.reward"]
        cls.Rule.search([]).action_archive()

    def _rule(self, **values):
        return self.Rule.create(
            {
                "name": "月度销冠 Seller of the month",
                "trigger": "rank",
                "metric": "sales",
                "period_kind": "month",
                "rank_to": 1,
                "reward_type": "amount",
                "amount": 100.0,
                **values,
            }
        )

    def _payable_balance(self, distributor):
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", self.company.fenxiao_commission_payable_account_id.id),
                ("partner_id", "=", distributor.partner_id.id),
                ("parent_state", "=", "posted"),
            ]
        )
        return self.currency.round(sum(lines.mapped("balance")))

    def test_rank_reward_flows_through_the_ledger_into_a_settlement(self):
        rule = self._rule()
        before = self._payable_balance(self.a1)
        reward = rule._fenxiao_grant(JULY)
        self.assertEqual(reward.distributor_id, self.a1)
        self.assertEqual((reward.date_from, reward.date_to), (date(2019, 7, 1), date(2019, 7, 31)))
        self.assertEqual((reward.rank, reward.value, reward.amount), (1, 500.0, 100.0))
        line = reward.commission_line_id
        self.assertEqual(
            (line.kind, line.state, line.amount, line.distributor_id, line.partner_id),
            ("reward", "available", 100.0, self.a1, self.a1.partner_id),
        )
        self.assertFalse(line.sudo().order_id)
        self.assertEqual(reward.state, "granted")

        settlement = self._settle_now()
        self.assertEqual(settlement.line_ids, line)
        self.assertEqual(line.state, "settled")
        reward.invalidate_recordset(["state"])
        self.assertEqual(reward.state, "settled")
        self.assertEqual(settlement.amount_total, 100.0)
        move = settlement.move_id
        self.assertEqual(move.state, "posted")
        payable = move.line_ids.filtered(
            lambda move_line: move_line.partner_id == self.a1.partner_id
        )
        self.assertEqual(payable.account_id, self.company.fenxiao_commission_payable_account_id)
        self.assertEqual(payable.credit, 100.0)
        # what the shop owes a1 grows by the reward
        self.assertEqual(self._payable_balance(self.a1), self.currency.round(before - 100.0))

    def test_rate_reward_is_a_share_of_the_period_figure(self):
        rule = self._rule(
            name="达标奖 Target",
            trigger="target",
            threshold=250.0,
            reward_type="rate",
            rate=5.0,
            amount=0.0,
        )
        rewards = rule._fenxiao_grant(JULY)
        self.assertEqual(
            {(r.distributor_id, r.value, r.amount) for r in rewards},
            # a11's 200 is under the target; August's 9000 of b is not July's
            {(self.a1, 500.0, 25.0), (self.b, 300.0, 15.0)},
        )
        self.assertEqual(sorted(rewards.commission_line_id.mapped("amount")), [15.0, 25.0])

    def test_rate_reward_on_team_sales(self):
        rule = self._rule(metric="team_sales", reward_type="rate", rate=10.0, amount=0.0)
        reward = rule._fenxiao_grant(JULY)
        # root's team: 500 + 200 + 300; the earlier distributor wins a tie
        self.assertEqual((reward.distributor_id, reward.amount), (self.root, 100.0))

    def test_granting_twice_gives_once(self):
        rule = self._rule(rank_to=2)
        first = rule._fenxiao_grant(JULY)
        self.assertEqual(first.distributor_id, self.a1 | self.b)
        second = rule._fenxiao_grant(date(2019, 7, 2))
        self.assertFalse(second)
        self.assertEqual(self.Reward.search_count([("rule_id", "=", rule.id)]), 2)
        lines = self.env["fenxiao.commission.line"].search(
            [("kind", "=", "reward"), ("distributor_id", "in", (self.a1 | self.b).ids)]
        )
        self.assertEqual(lines, first.commission_line_id)
        # and the database refuses a second one, whoever asks
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Reward.create(
                {
                    "rule_id": rule.id,
                    "company_id": self.company.id,
                    "distributor_id": self.a1.id,
                    "date_from": date(2019, 7, 1),
                    "date_to": date(2019, 7, 31),
                }
            )

    def test_cron_grants_the_last_ended_period_once(self):
        rule = self._rule()
        with freeze_time(datetime(2019, 8, 2, 4, 0)):
            self.Rule._cron_grant()
            self.Rule._cron_grant()
        rewards = self.Reward.search([("rule_id", "=", rule.id)])
        self.assertEqual(rewards.distributor_id, self.a1)
        self.assertEqual(rewards.date_from, date(2019, 7, 1))

    def test_reward_for_recruits_is_refused(self):
        for metric in ("recruits", "direct_recruit_count", "downline_size"):
            with self.assertRaises(ValidationError) as caught:
                self._rule(metric=metric)
            self.assertIn("《禁止传销条例》", str(caught.exception))
            self.assertIn("7(1)", str(caught.exception))
        rule = self._rule()
        with self.assertRaises(ValidationError):
            rule.metric = "recruits"
        # a rate needs an amount to apply to, not a head count
        with self.assertRaises(ValidationError):
            self._rule(metric="new_customers", reward_type="rate", rate=5.0)

    def test_points_reward_on_the_loyalty_card(self):
        program = self.env["loyalty.program"].create(
            {"name": "分销积分 Points", "program_type": "loyalty"}
        )
        rule = self._rule(
            rank_to=2, reward_type="points", points=50.0, amount=0.0, loyalty_program_id=program.id
        )
        existing = self.env["loyalty.card"].create(
            {"program_id": program.id, "partner_id": self.b.partner_id.id, "points": 7.0}
        )
        rewards = rule._fenxiao_grant(JULY)
        self.assertFalse(rewards.commission_line_id)
        card_a1 = self.env["loyalty.card"].search(
            [("program_id", "=", program.id), ("partner_id", "=", self.a1.partner_id.id)]
        )
        self.assertEqual(card_a1.points, 50.0)
        self.assertEqual(existing.points, 57.0)
        self.assertEqual(rewards.loyalty_card_id, card_a1 | existing)
        self.assertEqual(existing.history_ids.mapped("issued"), [50.0])
        self.assertFalse(
            self.env["fenxiao.commission.line"].search(
                [("kind", "=", "reward"), ("distributor_id", "in", (self.a1 | self.b).ids)]
            )
        )

    def test_gift_reward_ships_a_free_order(self):
        gift = self.env["product.product"].create(
            {"name": "小样礼盒 Sample box", "type": "consu", "list_price": 88.0}
        )
        rule = self._rule(rank_to=2, reward_type="gift", amount=0.0, gift_product_id=gift.id)
        rewards = rule._fenxiao_grant(JULY)
        self.assertEqual(rewards.distributor_id, self.a1 | self.b)
        self.assertFalse(rewards.commission_line_id, "nothing in the ledger")
        for reward in rewards:
            order = reward.gift_order_id
            self.assertEqual(order.partner_id, reward.distributor_id.partner_id)
            self.assertEqual(order.state, "sale")
            self.assertEqual(order.order_line.product_id, gift)
            self.assertEqual(order.amount_total, 0.0)
            self.assertTrue(order.picking_ids, "the warehouse ships it")
        self.assertEqual(rule._fenxiao_grant(JULY), self.Reward, "once per period")
        with self.assertRaises(ValidationError):
            self._rule(reward_type="gift", amount=0.0)

    def test_wizard_previews_and_refuses_a_period_not_ended(self):
        rule = self._rule()
        wizard = self.env["fenxiao.reward.grant"].create(
            {"day": JULY, "rule_ids": [(6, 0, rule.ids)]}
        )
        self.assertIn(self.a1.name, wizard.preview)
        self.assertFalse(self.Reward.search([("rule_id", "=", rule.id)]))
        action = wizard.action_grant()
        rewards = self.Reward.search(action["domain"])
        self.assertEqual(rewards.distributor_id, self.a1)
        wizard.invalidate_recordset(["preview"])
        self.assertIn("(already granted)", wizard.preview)
        current = self.env["fenxiao.reward.grant"].create(
            {"day": self.company._fenxiao_today(), "rule_ids": [(6, 0, rule.ids)]}
        )
        with self.assertRaises(UserError):
            current.action_grant()

    def test_statement_counts_the_reward_as_earned(self):
        rule = self._rule()
        reward = rule._fenxiao_grant(JULY)
        today = self.company._fenxiao_today()
        statement = self.env["fenxiao.commission.statement"].create(
            {"distributor_ids": [(6, 0, self.a1.ids)], "date_from": today, "date_to": today}
        )
        self.assertEqual(statement.line_ids.earned, reward.amount)
        self.assertEqual(statement.line_ids.closing, statement.line_ids.opening + reward.amount)

    def test_officer_reads_rewards_but_only_an_administrator_grants(self):
        program = self.env["loyalty.program"].create(
            {"name": "分销积分 Points", "program_type": "loyalty"}
        )
        rule = self._rule(
            reward_type="points", points=10.0, amount=0.0, loyalty_program_id=program.id
        )
        rule._fenxiao_grant(JULY)
        officer = self.officer
        as_officer = rule.with_user(officer)
        spec = {"name": {}, "loyalty_program_id": {"fields": {"display_name": {}}}}
        self.assertEqual(
            as_officer.web_read(spec)[0]["loyalty_program_id"]["display_name"], program.name
        )
        rows = self.Reward.with_user(officer).search_read(
            [("rule_id", "=", rule.id)], ["distributor_id", "points", "state"]
        )
        self.assertEqual(
            [(r["distributor_id"][0], r["points"]) for r in rows], [(self.a1.id, 10.0)]
        )
        with self.assertRaises(AccessError):
            self.Rule.with_user(officer).create({"name": "x", "amount": 1.0})
        with self.assertRaises(AccessError):
            self.env["fenxiao.reward.grant"].with_user(officer).create({"day": JULY})
        with self.assertRaises(AccessError):
            self.Reward.with_user(self.portal_user).search_read([], ["amount"])
