from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestShopOnPhone(HttpCase):
    """What a shopper does on a phone, in a real browser at phone width."""

    # iPhone SE / 8 portrait, with touch events: the width most shoppers use.
    browser_size = "375x667"
    touch_enabled = True

    def test_anonymous_shopper_searches_filters_and_adds_to_cart(self):
        self.start_tour("/shop", "fenxiao_demo_shop_mobile")
        order = self.env["sale.order"].search(
            [("website_id", "!=", False), ("order_line.product_id.default_code", "=", "YS-F001")],
            order="id desc",
            limit=1,
        )
        self.assertTrue(order, "the tour's cart should exist as a website quotation")
        goods = order.order_line.filtered(lambda line: not line.is_reward_line)
        self.assertEqual(goods.product_id.default_code, "YS-F001")
        # the demo's 满299减50 applies by itself to a ¥459 cream
        promotion = self.env.ref("fenxiao_demo.promotion_double_eleven")
        self.assertEqual(
            (order.order_line - goods).reward_id.program_id,
            promotion,
            "the shop's running promotion is in the cart",
        )
        self.assertEqual(order.currency_id, self.env.company.currency_id)
