from odoo.tests import tagged

from .common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestEstimatedCommission(FenxiaoCommissionCase):
    """The product page's "share and earn" estimate is what the engine pays on
    one unit at the list price, for the sharer as level 1."""

    def _estimate_and_real(self, product, distributor=None):
        distributor = distributor or self.a1
        template = product.product_tmpl_id
        estimate = template._fenxiao_estimated_commission(distributor, product.list_price)
        order = self._paid_order(self.customer, [(product, 1)])
        real = self._ledger(order).get((distributor, 1, product, "commission"), 0.0)
        return estimate, real

    def test_estimate_matches_the_engine(self):
        self.assertEqual(self._estimate_and_real(self.p100), (10.0, 10.0))
        self.assertEqual(self._estimate_and_real(self.p50), (5.0, 5.0))

    def test_estimate_follows_taxes_tier_and_specific_rules(self):
        Rule = self.env["fenxiao.commission.rule"]
        tax = self.env["account.tax"].create(
            {
                "name": "增值税 13%",
                "amount": 13.0,
                "type_tax_use": "sale",
                "price_include_override": "tax_excluded",
            }
        )
        self.p100.taxes_id = tax
        self.company.fenxiao_commission_base_tax = "included"
        self.assertEqual(self._estimate_and_real(self.p100), (11.3, 11.3))
        # prices with VAT included, as Chinese shops show them
        tax.price_include_override = "tax_included"
        self.assertEqual(self._estimate_and_real(self.p100), (10.0, 10.0))
        self.company.fenxiao_commission_base_tax = "excluded"
        self.assertEqual(self._estimate_and_real(self.p100), (8.85, 8.85))
        gold = self.env.ref("fenxiao.tier_gold")
        self.a1.action_set_tier(gold)
        Rule.create({"name": "gold", "level": 1, "rate": 15.0, "tier_id": gold.id})
        self.assertEqual(self._estimate_and_real(self.p50), (7.5, 7.5))
        Rule.create(
            {
                "name": "per jar",
                "level": 1,
                "amount_type": "fixed",
                "fixed_amount": 8.0,
                "product_tmpl_id": self.p100.product_tmpl_id.id,
            }
        )
        self.assertEqual(self._estimate_and_real(self.p100), (8.0, 8.0))

    def test_nothing_for_inactive_distributors_or_without_rules(self):
        template = self.p100.product_tmpl_id
        self.a1.action_suspend("测试")
        self.assertEqual(template._fenxiao_estimated_commission(self.a1, 100.0), 0.0)
        self.assertEqual(
            template._fenxiao_estimated_commission(self.env["fenxiao.distributor"], 100.0), 0.0
        )
        self.rules.action_archive()
        self.assertEqual(template._fenxiao_estimated_commission(self.a, 100.0), 0.0)
