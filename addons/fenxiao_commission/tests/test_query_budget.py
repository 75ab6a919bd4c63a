from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .common import FenxiaoCommissionCase

# What recording the commission of a paid order costs on a running server
# (registry caches warm, the order and its invoice read by the payment that
# paid it): the conditional UPDATE of the paid date (RETURNING the date, put
# in the cache), the chain (one query from parent_path, with each contact's
# commercial entity for the own-purchase check), the ledger's INSERT and the
# brushing check's one query. The rules valid that day come from the
# registry's cache. A query per line or per level, a read of what the chain
# or the UPDATE returned, or a flush of the whole environment goes over it.
EARN_BUDGET = 4


@tagged("post_install", "-at_install")
class TestQueryBudget(FenxiaoCommissionCase):
    """The commission recorded on a paid order costs a fixed number of
    queries, whatever the number of lines and levels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.fenxiao_max_levels = 3
        # a warm server: the registry caches (stored-value products, onboarding)
        cls._paid_order(cls.customer, [(cls.p100, 1)])

    def _paid_not_recorded(self, lines):
        """An order confirmed, invoiced and paid, its commission not recorded yet."""
        SaleOrder = type(self.env["sale.order"])
        with patch.object(SaleOrder, "_fenxiao_mark_paid_and_earn", lambda orders: orders.browse()):
            order = self._paid_order(self.customer, lines)
        self.assertFalse(order.fenxiao_paid_date)
        self.env.flush_all()
        # what a running server has cached for the registry (each test
        # starts with the registry caches cleared)
        self.env["product.product"]._fenxiao_stored_value_product_ids()
        self.env["fenxiao.commission.rule"]._rules_for(self.company, fields.Date.today())
        self.env["ir.default"]._get_model_defaults("fenxiao.commission.line")
        return order

    def test_recording_commission_stays_within_budget(self):
        # 2 lines x 3 levels (a11's customer: a11, a1, a) as in scripts/bench
        self.customer._fenxiao_bind(self.a11, "manual")
        order = self._paid_not_recorded([(self.p100, 1), (self.p50, 2)])
        # the distributors' contacts as a running server finds them: not
        # read yet (the tests created them, so they are in the cache)
        (self.a11 | self.a1 | self.a).partner_id.invalidate_recordset(["commercial_partner_id"])
        with self.assertQueryCount(EARN_BUDGET):
            paid = order._fenxiao_mark_paid_and_earn()
            self.env.flush_all()
            cached = order.fenxiao_paid_date
        self.assertEqual(paid, order)
        self.assertEqual(len(order.fenxiao_commission_line_ids), 6)
        # what the cache was given is what the UPDATE wrote
        order.invalidate_recordset(["fenxiao_paid_date"])
        self.assertEqual(order.fenxiao_paid_date, cached)
        self.assertEqual(set(order.fenxiao_commission_line_ids.mapped("date")), {cached})

    def test_budget_does_not_grow_with_lines(self):
        self.customer._fenxiao_bind(self.a11, "manual")
        products = self.env["product.product"].create(
            [{"name": f"口红 Lipstick {n}", "list_price": 10.0 + n} for n in range(8)]
        )
        order = self._paid_not_recorded([(product, 1) for product in products])
        with self.assertQueryCount(EARN_BUDGET):
            order._fenxiao_mark_paid_and_earn()
            self.env.flush_all()
        self.assertEqual(len(order.fenxiao_commission_line_ids), 8 * 3)
