from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestCommissionAmounts(FenxiaoCommissionCase):
    """Worked examples: what each distributor earns on a paid order."""

    def test_two_levels_on_a_paid_order(self):
        order = self._order(self.customer, [(self.p100, 2), (self.p50, 1)])
        self.assertFalse(order.fenxiao_commission_line_ids, "confirmed is not paid")
        self._pay(order)
        self.assertTrue(order.fenxiao_paid_date)
        self.assertEqual(
            self._ledger(order),
            {
                (self.a1, 1, self.p100, "commission"): 20.00,
                (self.a1, 1, self.p50, "commission"): 5.00,
                (self.a, 2, self.p100, "commission"): 10.00,
                (self.a, 2, self.p50, "commission"): 2.50,
            },
        )
        line = order.fenxiao_commission_line_ids.filtered(
            lambda line: line.level == 1 and line.product_id == self.p100
        )
        self.assertEqual(
            (line.base_amount, line.rate, line.rule_id, line.state, line.partner_id),
            (200.0, 10.0, self.rules[0], "frozen", self.a1.partner_id),
        )

    def test_partial_payment_earns_nothing_yet(self):
        order = self._order(self.customer, [(self.p100, 1)])
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 60.0})._create_payments()
        self.assertFalse(order.fenxiao_commission_line_ids)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 40.0})._create_payments()
        self.assertEqual(sum(order.fenxiao_commission_line_ids.mapped("amount")), 15.0)

    def test_paid_twice_records_once(self):
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self.assertEqual(len(order.fenxiao_commission_line_ids), 2)
        order.fenxiao_paid_date = False  # as if a second notification raced the first
        order.invalidate_recordset()
        with (
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            order._fenxiao_mark_paid_and_earn()  # the ledger refuses a second commission per level
        order.fenxiao_paid_date = "2026-01-01"
        order._fenxiao_mark_paid_and_earn()
        self.assertEqual(len(order.fenxiao_commission_line_ids), 2)

    def test_coupon_spread_over_goods_and_shipping_excluded(self):
        program = self.env["loyalty.program"].create(
            {
                "name": "满减券 ¥30",
                "program_type": "promotion",
                "trigger": "auto",
                "applies_on": "current",
                "rule_ids": [Command.create({"minimum_amount": 0})],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 30,
                            "discount_mode": "per_order",
                            "discount_applicability": "order",
                        }
                    )
                ],
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": self.p100.id, "product_uom_qty": 2}),
                    Command.create({"product_id": self.p50.id, "product_uom_qty": 1}),
                    Command.create(
                        {"product_id": self.shipping.id, "price_unit": 12.0, "is_delivery": True}
                    ),
                ],
            }
        )
        order._update_programs_and_rewards()
        order._apply_program_reward(program.reward_ids, order.coupon_point_ids.coupon_id)
        self.assertEqual(order.amount_total, 250.0 + 12.0 - 30.0)
        order.action_confirm()
        self._pay(order)
        # the ¥30 coupon lowers the goods 200:50, shipping never counts
        bases = {
            line.product_id: line.base_amount
            for line in order.fenxiao_commission_line_ids.filtered(lambda line: line.level == 1)
        }
        self.assertEqual(bases, {self.p100: 176.0, self.p50: 44.0})
        self.assertEqual(
            self._ledger(order),
            {
                (self.a1, 1, self.p100, "commission"): 17.60,
                (self.a1, 1, self.p50, "commission"): 4.40,
                (self.a, 2, self.p100, "commission"): 8.80,
                (self.a, 2, self.p50, "commission"): 2.20,
            },
        )

    def test_discount_spread_adds_up_to_the_fen(self):
        bases = {"serum": 10.0, "mask": 10.0, "toner": 10.0}
        self.env["fenxiao.commission.line"]._spread(bases, list(bases), -10.0, self.currency)
        self.assertEqual(sorted(bases.values()), [6.66, 6.67, 6.67])
        self.assertAlmostEqual(sum(bases.values()), 20.0, places=6)

    def test_taxes_in_or_out_of_the_base(self):
        tax = self.env["account.tax"].create(
            {
                "name": "增值税 13%",
                "amount": 13.0,
                "type_tax_use": "sale",
                "price_include_override": "tax_excluded",
            }
        )
        self.p100.taxes_id = tax
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self.assertEqual(order.fenxiao_commission_line_ids[0].base_amount, 100.0)
        self.company.fenxiao_commission_base_tax = "included"
        order = self._paid_order(self.customer, [(self.p100, 1)])
        level1 = order.fenxiao_commission_line_ids.filtered(lambda line: line.level == 1)
        self.assertEqual((level1.base_amount, level1.amount), (113.0, 11.30))

    def test_three_levels(self):
        self.company.fenxiao_max_levels = 3
        self.customer._fenxiao_bind(self.a11, "manual")
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self.assertEqual(
            self._ledger(order),
            {
                (self.a11, 1, self.p100, "commission"): 10.0,
                (self.a1, 2, self.p100, "commission"): 5.0,
                (self.a, 3, self.p100, "commission"): 2.0,
            },
        )

    def test_suspended_upline_skipped_or_compressed(self):
        self.company.fenxiao_max_levels = 3
        self.customer._fenxiao_bind(self.a11, "manual")
        self.a1.action_suspend("违规宣传")
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self.assertEqual(
            self._ledger(order),
            {
                (self.a11, 1, self.p100, "commission"): 10.0,
                (self.a, 3, self.p100, "commission"): 2.0,
            },
            "skip: nobody earns the suspended upline's level",
        )
        self.company.fenxiao_commission_inactive_upline = "compress"
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self.assertEqual(
            self._ledger(order),
            {
                (self.a11, 1, self.p100, "commission"): 10.0,
                (self.a, 2, self.p100, "commission"): 5.0,
                (self.root, 3, self.p100, "commission"): 2.0,
            },
            "compress: the next active upline takes the level",
        )

    def test_own_purchase(self):
        buyer = self.a1.partner_id
        order = self._paid_order(buyer, [(self.p100, 1)])
        self.assertEqual(
            self._ledger(order),
            {
                (self.a1, 1, self.p100, "commission"): 10.0,
                (self.a, 2, self.p100, "commission"): 5.0,
            },
        )
        self.company.fenxiao_commission_self_purchase = False
        order = self._paid_order(buyer, [(self.p100, 1)])
        self.assertEqual(
            self._ledger(order),
            {
                (self.a, 1, self.p100, "commission"): 10.0,
                (self.root, 2, self.p100, "commission"): 5.0,
            },
        )

    def test_most_specific_rule_wins(self):
        Rule = self.env["fenxiao.commission.rule"]
        gold = self.env.ref("fenxiao.tier_gold")
        self.a1.action_set_tier(gold)
        Rule.create({"name": "gold", "level": 1, "rate": 15.0, "tier_id": gold.id})
        Rule.create(
            {"name": "skincare", "level": 1, "rate": 12.0, "product_categ_id": self.categ.id}
        )
        Rule.create(
            {
                "name": "per jar",
                "level": 1,
                "amount_type": "fixed",
                "fixed_amount": 8.0,
                "product_tmpl_id": self.p100.product_tmpl_id.id,
                "date_to": "2000-01-01",  # expired: must not apply
            }
        )
        order = self._paid_order(self.customer, [(self.p100, 2), (self.p50, 1)])
        ledger = self._ledger(order)
        self.assertEqual(ledger[(self.a1, 1, self.p100, "commission")], 24.0, "category beats tier")
        self.assertEqual(ledger[(self.a1, 1, self.p50, "commission")], 7.5, "tier beats all")
        Rule.create(
            {
                "name": "per jar now",
                "level": 1,
                "amount_type": "fixed",
                "fixed_amount": 8.0,
                "product_tmpl_id": self.p100.product_tmpl_id.id,
            }
        )
        order = self._paid_order(self.customer, [(self.p100, 2)])
        self.assertEqual(self._ledger(order)[(self.a1, 1, self.p100, "commission")], 16.0)

    def test_rules_are_cached_and_every_change_is_seen_at_once(self):
        # the rules valid on a day are cached per registry: asked before,
        # then after each change, the answer is the database's
        Rule = self.env["fenxiao.commission.rule"]
        today = fields.Date.today()
        self.assertEqual(set(Rule._rules_for(self.company, today)), set(self.rules))
        with self.assertQueryCount(0):
            Rule._rules_for(self.company, today)
        eye_cream = self.env["product.template"].create({"name": "眼霜 Eye cream"})
        jar = Rule.create(
            {
                "name": "per jar",
                "level": 1,
                "amount_type": "fixed",
                "fixed_amount": 8.0,
                "product_tmpl_id": eye_cream.id,
            }
        )
        self.assertEqual(Rule._rules_for(self.company, today)[:1], jar, "most specific first")
        jar.fixed_amount = 9.0
        self.env.invalidate_all()  # a new request: its values come from the registry's cache
        self.assertEqual(Rule._rules_for(self.company, today)[:1].fixed_amount, 9.0)
        jar.action_archive()
        self.assertNotIn(jar, Rule._rules_for(self.company, today))
        jar.action_unarchive()
        self.assertIn(jar, Rule._rules_for(self.company, today))
        # deleted with its product (ondelete cascade, no unlink of the rule)
        eye_cream.unlink()
        self.assertFalse(jar.exists())
        self.assertEqual(set(Rule._rules_for(self.company, today)), set(self.rules))

    def test_rule_levels_capped_by_law(self):
        with self.assertRaises(ValidationError):
            self.env["fenxiao.commission.rule"].create({"name": "L4", "level": 4, "rate": 1})

    def test_customer_without_distributor_earns_nobody_anything(self):
        stranger = self.env["res.partner"].create({"name": "路人"})
        order = self._paid_order(stranger, [(self.p100, 1)])
        self.assertTrue(order.invoice_ids)
        self.assertFalse(order.fenxiao_commission_line_ids)

    def test_paid_by_online_transaction(self):
        order, tx = self._online_paid_quotation()
        # no payment journal is set up for this test provider
        with patch.object(type(tx), "_create_payment"):
            tx._post_process()
        self.assertEqual(order.state, "sale")
        self.assertEqual(sum(order.fenxiao_commission_line_ids.mapped("amount")), 15.0)

    def _commission_queries(self):
        """Queries to record the commission of a paid order, caches cold."""
        order = self._order(self.customer, [(self.p100, 1), (self.p50, 2)])
        order.fenxiao_paid_date = fields.Datetime.now()
        self.env.flush_all()
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        before = self.env.cr.sql_log_count
        self.env["fenxiao.commission.line"]._earn(order)
        self.env.flush_all()
        self.assertEqual(len(order.fenxiao_commission_line_ids), 4)
        return self.env.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_the_team(self):
        small = self._commission_queries()
        for upline in (self.a, self.a1):
            for number in range(40):
                self._distributor(f"{upline.name} 下级 {number}", upline)
        self.assertEqual(self._commission_queries(), small)
        # 19: one to tell gift cards and eWallet top-ups from goods, one for
        # the commercial entity of the credited distributor (own purchase)
        self.assertLessEqual(small, 19)


@tagged("post_install", "-at_install")
class TestCommissionEdges(FenxiaoCommissionCase):
    """Who earns at the edges: own purchases by another contact, the order
    that enrols its buyer, and stored value (gift cards, eWallet)."""

    def test_own_purchase_through_a_contact_of_the_same_entity(self):
        shop = self.env["res.partner"].create({"name": "甲一商贸有限公司", "is_company": True})
        self.a1.partner_id.parent_id = shop
        delivery = self.env["res.partner"].create(
            {"name": "甲一 收货地址", "type": "delivery", "parent_id": self.a1.partner_id.id}
        )
        for buyer in (delivery, shop):
            order = self._paid_order(buyer, [(self.p100, 1)])
            self.assertEqual(order.fenxiao_distributor_id, self.a1, buyer.name)
            self.assertEqual(
                self._ledger(order),
                {
                    (self.a1, 1, self.p100, "commission"): 10.0,
                    (self.a, 2, self.p100, "commission"): 5.0,
                },
                buyer.name,
            )
        self.company.fenxiao_commission_self_purchase = False
        order = self._paid_order(delivery, [(self.p100, 1)])
        self.assertEqual(
            self._ledger(order),
            {
                (self.a, 1, self.p100, "commission"): 10.0,
                (self.root, 2, self.p100, "commission"): 5.0,
            },
            "not an own purchase only when bought as the distributor's own contact",
        )

    def test_the_order_that_enrols_its_buyer_is_the_referrers(self):
        self.company.write({"fenxiao_max_levels": 1, "fenxiao_onboarding": "first_order"})
        order = self._paid_order(self.customer, [(self.p100, 1)])
        enrolled = self.customer.fenxiao_self_distributor_id
        self.assertEqual(enrolled.parent_id, self.a1)
        self.assertEqual(order.fenxiao_distributor_id, self.a1)
        self.assertEqual(self._ledger(order), {(self.a1, 1, self.p100, "commission"): 10.0})
        # from now on their own purchases are theirs
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self.assertEqual(self._ledger(order), {(enrolled, 1, self.p100, "commission"): 10.0})

    def _stored_value_program(self, program_type):
        card = self.env["product.product"].create(
            {
                "name": f"{program_type} ¥100",
                "list_price": 100.0,
                "type": "service",
                "taxes_id": [Command.clear()],
            }
        )
        program = self.env["loyalty.program"].create(
            {
                "name": f"{program_type} program",
                "program_type": program_type,
                "trigger": "auto",
                "applies_on": "future",
                "rule_ids": [
                    Command.create(
                        {
                            "reward_point_amount": 1,
                            "reward_point_mode": "money",
                            "reward_point_split": program_type == "gift_card",
                            "product_ids": card.ids,
                        }
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_point",
                            "discount": 1,
                            "discount_applicability": "order",
                            "required_points": 1,
                        }
                    )
                ],
            }
        )
        return program, card

    def test_stored_value_products_are_known_as_soon_as_the_program_exists(self):
        # the list is cached per registry: asked before, then after each change
        self.assertFalse(self.p50._fenxiao_stored_value_products())
        _program, card = self._stored_value_program("gift_card")
        self.assertEqual(card._fenxiao_stored_value_products(), card)
        ewallet, top_up = self._stored_value_program("ewallet")
        self.assertFalse(self.p50._fenxiao_stored_value_products())
        ewallet.rule_ids.product_ids = self.p50
        self.assertEqual((self.p50 | top_up)._fenxiao_stored_value_products(), self.p50)
        ewallet.program_type = "promotion"
        self.assertFalse(self.p50._fenxiao_stored_value_products())

    def test_stored_value_earns_when_spent_not_when_sold(self):
        for program_type in ("gift_card", "ewallet"):
            program, card = self._stored_value_program(program_type)
            sold = self._paid_order(self.customer, [(card, 1), (self.p50, 1)])
            self.assertEqual(
                self._ledger(sold),
                {
                    (self.a1, 1, self.p50, "commission"): 5.0,
                    (self.a, 2, self.p50, "commission"): 2.5,
                },
                f"no commission on the {program_type} itself",
            )
            self.assertEqual(self.p50.product_tmpl_id._fenxiao_estimated_commission(self.a1, 50), 5)
            self.assertFalse(card.product_tmpl_id._fenxiao_estimated_commission(self.a1, 100.0))

            coupon = self.env["loyalty.card"].create(
                {"program_id": program.id, "partner_id": self.customer.id, "points": 100}
            )
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create({"product_id": self.p100.id, "product_uom_qty": 2})
                    ],
                }
            )
            order._update_programs_and_rewards()
            order._apply_program_reward(program.reward_ids, coupon)
            self.assertEqual(order.amount_total, 100.0, f"half paid with the {program_type}")
            order.action_confirm()
            self._pay(order)
            self.assertEqual(
                self._ledger(order),
                {
                    (self.a1, 1, self.p100, "commission"): 20.0,
                    (self.a, 2, self.p100, "commission"): 10.0,
                },
                f"the goods bought with the {program_type} earn in full, once",
            )
