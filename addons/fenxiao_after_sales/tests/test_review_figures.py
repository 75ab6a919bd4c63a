from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import AfterSalesCase


@tagged("post_install", "-at_install")
class TestReviewFigures(AfterSalesCase):
    """The after-sales figures a review (考核) reads, filled in by this module."""

    def test_orders_with_a_request_and_complaints_per_distributor(self):
        # the customer is bound to a1: every order is credited to a1
        orders = [self._paid_order(self.customer, [(self.p100, 2)]) for _i in range(4)]
        self._ask(orders[0])  # quality problem: a complaint
        self._ask(orders[0])  # the same order again: still one order with a request
        self.reason = self.env.ref("fenxiao_after_sales.reason_changed_mind")
        self._ask(orders[1])  # changed their mind: not a complaint
        cancelled = self._ask(orders[2])
        cancelled.state = "cancelled"
        today = fields.Date.context_today(self.env["fenxiao.review"])
        figures = self.env["fenxiao.review"]._after_sales_figures(
            self.a1 | self.a | self.b, today - timedelta(days=30), today
        )
        self.assertEqual(figures, {self.a1.id: (2, 2)})
        reviews = self.env["fenxiao.review"]._run(self.company, today)
        a1 = reviews.filtered(lambda review: review.distributor_id == self.a1)
        self.assertEqual((a1.order_count, a1.after_sales_count, a1.complaint_count), (4, 2, 2))
        self.assertEqual(a1.after_sales_rate, 50.0)
