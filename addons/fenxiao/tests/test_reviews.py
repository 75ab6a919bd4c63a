from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import FenxiaoNetworkCase


@tagged("post_install", "-at_install")
class TestReviews(FenxiaoNetworkCase):
    """Reviews (考核): figures, outcomes and what confirming does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Review = cls.env["fenxiao.review"]
        # only this class's network is reviewed
        cls.env["fenxiao.distributor"].search(
            [("id", "not in", (cls.root | cls.a | cls.b | cls.a1 | cls.a11).ids)]
        ).with_context(fenxiao_logged_change=True).write({"state": "applicant"})
        (cls.root | cls.a | cls.b | cls.a1 | cls.a11).filtered(
            lambda d: d.state != "active"
        ).with_context(fenxiao_logged_change=True).write({"state": "active"})
        cls.company.write(
            {
                "fenxiao_review_period_days": 30,
                "fenxiao_review_min_sales": 100.0,
                "fenxiao_review_max_after_sales_rate": 20.0,
                "fenxiao_review_hard_after_sales_rate": 50.0,
                "fenxiao_review_max_complaints": 1,
                "fenxiao_review_auto_disqualify": False,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "精华 Serum",
                "list_price": 150.0,
                "type": "consu",
                "taxes_id": [Command.clear()],
            }
        )
        cls.today = fields.Date.context_today(cls.Review)

    def _order(self, distributor, price):
        order = self.env["sale.order"].create(
            {
                "partner_id": distributor.partner_id.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": price}
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _run(self, date_to=None, after_sales=None):
        date_to = date_to or self.today
        with patch.object(
            type(self.Review), "_after_sales_figures", return_value=after_sales or {}
        ):
            return self.Review.with_user(self.manager)._run(self.company, date_to)

    def _review(self, reviews, distributor):
        return reviews.filtered(lambda review: review.distributor_id == distributor)

    def test_figures_are_the_period_sales_of_each_distributor(self):
        self._order(self.a1, 120.0)
        self._order(self.a1, 30.0)
        old = self._order(self.a1, 500.0)
        old.date_order = fields.Datetime.now() - timedelta(days=40)
        self._order(self.b, 80.0)
        reviews = self._run()
        self.assertEqual(len(reviews), 5, "one draft per active distributor")
        a1 = self._review(reviews, self.a1)
        self.assertEqual((a1.sales, a1.order_count), (150.0, 2), "the 40-day-old order is out")
        self.assertEqual(a1.outcome, "pass")
        b = self._review(reviews, self.b)
        self.assertEqual((b.sales, b.outcome), (80.0, "warning"))
        self.assertIn("100", b.reason)
        self.assertEqual(set(reviews.mapped("state")), {"draft"})
        # a second run for the same period adds nothing
        self.assertFalse(self._run())

    def test_warning_changes_nothing_then_a_second_warning_suspends(self):
        self._order(self.a1, 150.0)
        first = self._run(self.today - timedelta(days=30))
        b = self._review(first, self.b)
        self.assertEqual(b.outcome, "warning")
        first.with_user(self.manager).action_confirm()
        self.assertEqual(b.state, "confirmed")
        self.assertEqual(self.b.state, "active", "a warning does not suspend")
        second = self._run()
        b2 = self._review(second, self.b)
        self.assertEqual(b2.outcome, "suspension")
        self.assertEqual(self.b.state, "active", "a draft applies nothing")
        b2.with_user(self.manager).action_confirm()
        self.assertEqual(self.b.state, "suspended")
        self.assertEqual(self.b.state_reason, b2.reason)
        log = self.b.log_ids.filtered(lambda log: log.new_state == "suspended")
        self.assertEqual(log.reason, b2.reason, "suspended through the logged action")
        self.assertEqual(log.user_id, self.manager)
        with self.assertRaises(UserError):
            b2.with_user(self.manager).write({"reason": "改写"})
        # confirming again is a no-op
        b2.with_user(self.manager).action_confirm()
        self.assertEqual(len(self.b.log_ids.filtered(lambda log: log.new_state == "suspended")), 1)
        self.assertEqual(self._review(second, self.a1).outcome, "pass")

    def test_after_sales_rate_above_the_hard_limit_suspends_at_once(self):
        for _i in range(4):
            self._order(self.a1, 50.0)
        reviews = self._run(after_sales={self.a1.id: (3, 0)})
        a1 = self._review(reviews, self.a1)
        self.assertEqual((a1.after_sales_count, a1.after_sales_rate), (3, 75.0))
        self.assertEqual(a1.outcome, "suspension")
        self.assertIn("50.0%", a1.reason)

    def test_complaints_above_the_maximum_warn(self):
        self._order(self.a1, 200.0)
        reviews = self._run(after_sales={self.a1.id: (0, 2)})
        a1 = self._review(reviews, self.a1)
        self.assertEqual((a1.complaint_count, a1.outcome), (2, "warning"))

    def test_a_manager_disqualifies_never_the_review_by_default(self):
        reviews = self._run(self.today - timedelta(days=60))
        reviews.with_user(self.manager).action_confirm()
        reviews = self._run(self.today - timedelta(days=30))
        b = self._review(reviews, self.b)
        self.assertEqual(b.outcome, "suspension")
        reviews.with_user(self.manager).action_confirm()
        self.assertEqual(self.b.state, "suspended")
        self.b.with_user(self.manager).action_reactivate()
        again = self._review(self._run(), self.b)
        self.assertEqual(again.outcome, "suspension", "not disqualified without the setting")
        again.write({"outcome": "disqualification", "reason": "多次考核不合格"})
        again.with_user(self.manager).action_confirm()
        self.assertEqual(self.b.state, "disqualified")
        self.assertEqual(self.b.state_reason, "多次考核不合格")

    def test_the_setting_lets_a_review_disqualify_after_a_suspension(self):
        self.company.fenxiao_review_auto_disqualify = True
        self._run(self.today - timedelta(days=60)).with_user(self.manager).action_confirm()
        self._run(self.today - timedelta(days=30)).with_user(self.manager).action_confirm()
        self.assertEqual(self.b.state, "suspended")
        self.b.with_user(self.manager).action_reactivate()
        b = self._review(self._run(), self.b)
        self.assertEqual(b.outcome, "disqualification")
        b.with_user(self.manager).action_confirm()
        self.assertEqual(self.b.state, "disqualified")

    def test_only_a_manager_runs_and_confirms(self):
        with self.assertRaises(UserError):
            self.Review.with_user(self.officer).action_run_review()
        reviews = self._run()
        with self.assertRaises(UserError):
            reviews.with_user(self.officer).action_confirm()

    def test_a_suspension_without_reason_is_refused(self):
        b = self._review(self._run(), self.b)
        b.write({"outcome": "suspension", "reason": False})
        with self.assertRaises(UserError):
            b.with_user(self.manager).action_confirm()
        self.assertEqual((b.state, self.b.state), ("draft", "active"))

    def test_cron_creates_drafts_only(self):
        self.env.ref("fenxiao.ir_cron_fenxiao_review").method_direct_trigger()
        reviews = self.Review.search([("distributor_id", "=", self.b.id)])
        self.assertEqual(reviews.state, "draft")
        self.assertEqual(self.b.state, "active")
        self.assertFalse(self.env.ref("fenxiao.ir_cron_fenxiao_review").active)

    def test_the_reason_reads_in_the_company_language(self):
        reviews = self.Review.with_context(lang="zh_CN")._run(self.company, self.today)
        b = self._review(reviews, self.b)
        self.assertEqual(b.outcome, "warning")
        self.assertTrue(b.reason.startswith("警告："), b.reason)
        self.assertIn("个人销售额", b.reason)
