from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestPromotionTemplates(FenxiaoCommissionCase):
    """Each template's discount on an order, and the commission computed on
    what the customer really paid (10% to a1, 5% to a; no tax)."""

    def _program(self, **values):
        wizard = self.env["fenxiao.promotion.wizard"].create(dict(values, activate=True))
        return wizard._create_program()

    def _cart(self, lines):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )

    def _apply(self, order, program):
        order._update_programs_and_rewards()
        coupon = order.coupon_point_ids.coupon_id.filtered(lambda c: c.program_id == program)
        result = order._apply_program_reward(program.reward_ids, coupon)
        self.assertFalse(result.get("error"), result)

    def _confirm_and_pay(self, order):
        order.action_confirm()
        self._pay(order)
        return {
            level: sum(
                order.fenxiao_commission_line_ids.filtered(
                    lambda line, lv=level: line.level == lv
                ).mapped("amount")
            )
            for level in (1, 2)
        }

    def test_spend_299_get_50_off_lowers_the_commission_base(self):
        program = self._program(template="threshold", threshold=299, discount_amount=50)
        self.assertEqual(program.name, "Spend 299, get 50 off")
        order = self._cart([(self.p100, 3)])
        self._apply(order, program)
        self.assertEqual(order.amount_total, 250.0)
        self.assertEqual(self._confirm_and_pay(order), {1: 25.0, 2: 12.5})

    def test_names_read_like_the_shop_in_chinese(self):
        wizard = (
            self.env["fenxiao.promotion.wizard"]
            .with_context(lang="zh_CN")
            .create({"template": "every", "threshold": 100, "discount_amount": 9.9})
        )
        self.assertEqual(wizard._create_program().name, "每满100减9.9")

    def test_spend_below_the_threshold_gets_nothing(self):
        program = self._program(template="threshold", threshold=299, discount_amount=50)
        order = self._cart([(self.p100, 2)])
        order._update_programs_and_rewards()
        self.assertNotIn(program, order._get_claimable_rewards().keys())
        self.assertEqual(order.amount_total, 200.0)

    def test_every_100_spent_gives_10_off_per_block(self):
        program = self._program(template="every", threshold=100, discount_amount=10)
        order = self._cart([(self.p100, 2), (self.p50, 1)])  # 250: two blocks of 100
        self._apply(order, program)
        self.assertEqual(order.amount_total, 230.0)
        # base 230 → 23 to a1, 11.5 to a
        self.assertEqual(self._confirm_and_pay(order), {1: 23.0, 2: 11.5})

    def test_every_299_spent_gives_50_off_to_the_fen(self):
        program = self._program(template="every", threshold=299, discount_amount=50)
        order = self._cart([(self.p100, 6)])  # 600: two blocks of 299
        self._apply(order, program)
        self.assertEqual(order.amount_total, 500.0)
        self.assertEqual(self._confirm_and_pay(order), {1: 50.0, 2: 25.0})

    def test_wizard_opens_the_new_program(self):
        wizard = self.env["fenxiao.promotion.wizard"].create(
            {"template": "threshold", "threshold": 299, "discount_amount": 50}
        )
        action = wizard.action_create()
        program = (
            self.env["loyalty.program"].with_context(active_test=False).browse(action["res_id"])
        )
        self.assertEqual(program.rule_ids.minimum_amount, 299.0)
        self.assertEqual(program.reward_ids.discount, 50.0)

    def test_category_percent_off_discounts_only_that_category(self):
        program = self._program(template="category", categ_id=self.categ.id, discount_percent=20)
        order = self._cart([(self.p100, 1), (self.p50, 1)])  # only the serum is in the category
        self._apply(order, program)
        self.assertEqual(order.amount_total, 130.0)
        self.assertEqual(self._confirm_and_pay(order), {1: 13.0, 2: 6.5})
        bases = {
            line.product_id: line.base_amount
            for line in order.fenxiao_commission_line_ids.filtered(lambda line: line.level == 1)
        }
        self.assertEqual(bases, {self.p100: 80.0, self.p50: 50.0})

    def test_free_gift_earns_no_commission(self):
        sample = self.env["product.product"].create(
            {"name": "小样 Sample", "list_price": 20.0, "taxes_id": [Command.clear()]}
        )
        program = self._program(template="gift", threshold=150, gift_product_id=sample.id)
        order = self._cart([(self.p100, 2)])
        self._apply(order, program)
        self.assertEqual(order.amount_total, 200.0)
        self.assertIn(sample, order.order_line.product_id)
        self.assertEqual(self._confirm_and_pay(order), {1: 20.0, 2: 10.0})

    def test_bad_figures_are_refused(self):
        with self.assertRaises(UserError):
            self._program(template="threshold", threshold=50, discount_amount=50)
        with self.assertRaises(UserError):
            self._program(template="category", categ_id=self.categ.id, discount_percent=120)
        with self.assertRaises(UserError):
            self._program(template="gift", threshold=100)

    def test_program_is_archived_until_the_manager_starts_it(self):
        wizard = self.env["fenxiao.promotion.wizard"].create(
            {"template": "threshold", "threshold": 299, "discount_amount": 50}
        )
        program = wizard._create_program()
        self.assertFalse(program.active)
