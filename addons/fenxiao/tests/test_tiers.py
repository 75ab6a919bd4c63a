from odoo import Command
from odoo.tests import tagged

from .common import FenxiaoNetworkCase


@tagged("post_install", "-at_install")
class TestTiersByTeamSales(FenxiaoNetworkCase):
    """Tiers reached by team sales: progress, and the daily move up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["fenxiao.tier"].search([]).min_team_sales = 0
        cls.basic = cls.env.ref("fenxiao.tier_basic")
        cls.silver = cls.env.ref("fenxiao.tier_silver")
        cls.gold = cls.env.ref("fenxiao.tier_gold")
        # the ladder is these three: tiers a merchant (or the demo) added are out
        (cls.env["fenxiao.tier"].search([]) - cls.basic - cls.silver - cls.gold).active = False
        cls.silver.min_team_sales = 1000.0
        cls.gold.min_team_sales = 5000.0
        # set up as history, not as a manager's change
        (cls.root | cls.a | cls.b | cls.a1 | cls.a11).with_context(
            fenxiao_logged_change=True
        ).tier_id = cls.basic
        cls.product = cls.env["product.product"].create(
            {"name": "面霜 Cream", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )

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

    def test_progress_and_promotion(self):
        self._sell(self.a11, 600.0)  # counts for a11, a1, a and root
        self._sell(self.a, 500.0)
        progress = (self.a | self.a1 | self.b)._tier_progress()
        self.assertEqual(progress[self.a], (self.silver, 1.0))
        self.assertEqual(progress[self.a1], (self.silver, 0.6))
        self.assertEqual(progress[self.b], (self.silver, 0.0))

        self.Distributor._cron_promote_tiers()
        self.assertEqual(self.a.tier_id, self.silver, "1,100 of team sales reach silver")
        self.assertEqual(self.root.tier_id, self.silver)
        self.assertEqual(self.a1.tier_id, self.basic, "600 is not enough")
        log = self.a.log_ids.filtered(lambda entry: entry.event == "tier")
        self.assertEqual(log.new_tier_id, self.silver)

        # a big sale takes a1 straight to gold; a manager's higher tier stays
        self.b.with_context(fenxiao_logged_change=True).tier_id = self.gold
        self._sell(self.a1, 4500.0)
        self.Distributor._cron_promote_tiers()
        self.assertEqual(self.a1.tier_id, self.gold)
        self.assertEqual(self.b.tier_id, self.gold, "nobody is moved down")
        self.assertEqual(self.a1._tier_progress()[self.a1], (self.env["fenxiao.tier"], 1.0))

    def test_suspended_distributors_stay(self):
        self._sell(self.a11, 2000.0)
        self.a11.with_context(fenxiao_logged_change=True).state = "suspended"
        self.Distributor._cron_promote_tiers()
        self.assertEqual(self.a11.tier_id, self.basic)
