from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPromotionBadges(HttpCase):
    """Automatic promotions show as badges on the products they concern."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls.env.ref("website.default_website")
        cls.env["loyalty.program"].search([]).action_archive()
        cls.masks = cls.env["product.category"].create({"name": "面膜"})
        cls.tag = cls.env["product.tag"].create({"name": "新品"})
        Template = cls.env["product.template"]
        cls.mask = Template.create(
            {"name": "补水面膜", "list_price": 99, "categ_id": cls.masks.id, "is_published": True}
        )
        cls.cream = Template.create(
            {
                "name": "修护面霜",
                "list_price": 229,
                "product_tag_ids": [Command.set(cls.tag.ids)],
                "is_published": True,
            }
        )
        cls.toner = Template.create({"name": "爽肤水", "list_price": 129, "is_published": True})
        cls.Program = cls.env["loyalty.program"]

    def _program(self, name, program_type="promotion", rule=None, reward=None, **values):
        return self.Program.create(
            {
                "name": name,
                "program_type": program_type,
                "trigger": "auto",
                "rule_ids": [Command.create(rule or {})],
                "reward_ids": [
                    Command.create(
                        reward or {"reward_type": "discount", "discount": 10, "required_points": 1}
                    )
                ],
                **values,
            }
        )

    def _badges(self, templates=None):
        templates = templates or (self.mask | self.cream | self.toner)
        badges = self.website._fenxiao_promotion_badges(templates)
        return {
            self.env["product.template"].browse(tid).name: names for tid, names in badges.items()
        }

    def test_badges_follow_rules_and_rewards(self):
        self._program(
            "面膜买二送一",
            "buy_x_get_y",
            rule={
                "product_category_id": self.masks.id,
                "minimum_qty": 2,
                "reward_point_mode": "unit",
            },
            reward={
                "reward_type": "product",
                "reward_product_id": self.mask.product_variant_id.id,
                "required_points": 2,
            },
        )
        self._program(
            "新品8折",
            reward={
                "reward_type": "discount",
                "discount": 20,
                "discount_applicability": "specific",
                "discount_product_tag_id": self.tag.id,
                "required_points": 1,
            },
        )
        self._program(
            "满299减50",
            rule={"minimum_amount": 299},
            reward={
                "reward_type": "discount",
                "discount": 50,
                "discount_mode": "per_order",
                "required_points": 1,
            },
        )
        self.assertEqual(
            self._badges(),
            {
                "补水面膜": ["面膜买二送一", "满299减50"],
                "修护面霜": ["新品8折", "满299减50"],
                "爽肤水": ["满299减50"],
            },
        )

    def test_only_running_automatic_promotions_of_this_website(self):
        # the shop's day, as the promotions count it (Asia/Shanghai), not UTC's
        today = fields.Date.context_today(self.website)
        other_website = self.env["website"].create({"name": "分店"})
        self._program("要券码", trigger="with_code", rule={"mode": "with_code", "code": "FX-BADGE"})
        self._program("已结束", date_to=today - timedelta(days=1))
        self._program("未开始", date_from=today + timedelta(days=1))
        self._program("分店专享", website_id=other_website.id)
        self._program("已停用").action_archive()
        self._program("线下专享", ecommerce_ok=False)
        self._program("礼品卡", "gift_card")
        self.assertEqual(self._badges(), {"补水面膜": [], "修护面霜": [], "爽肤水": []})
        ours = self._program("本店", website_id=self.website.id, date_to=today)
        self.assertEqual(self._badges()["爽肤水"], ["本店"])
        # the badges are cached: a promotion that stops stops showing at once
        ours.action_archive()
        self.assertEqual(self._badges()["爽肤水"], [])
        ours.action_unarchive()
        ours.rule_ids.minimum_amount = 199
        ours.reward_ids.write({"discount_applicability": "specific"})
        ours.reward_ids.discount_product_ids = self.mask.product_variant_id
        self.assertEqual(self._badges(), {"补水面膜": ["本店"], "修护面霜": [], "爽肤水": []})

    def test_query_count_does_not_grow_with_the_page(self):
        self._program("面膜买二送一", "buy_x_get_y", rule={"product_category_id": self.masks.id})
        self._program("新品8折", rule={"product_tag_id": self.tag.id})
        self._program("满299减50", rule={"minimum_amount": 299})
        many = self.env["product.template"].create(
            [{"name": f"面膜 {n}", "categ_id": self.masks.id} for n in range(40)]
        )

        def queries(templates):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            badges = self.website._fenxiao_promotion_badges(templates)
            return self.env.cr.sql_log_count - before, badges

        queries(self.toner)  # warm the registry's caches
        few_count, _few = queries(self.mask | self.cream)
        many_count, badges = queries(many | self.mask | self.cream)
        self.assertEqual(many_count, few_count)
        self.assertTrue(all(len(names) == 2 for names in badges.values()))
        # worked out once per catalog and promotions: another page then costs
        # the catalog's stamp, one query (the website's pricelist is known)
        before = self.env.cr.sql_log_count
        self.website._fenxiao_promotion_badges(many[:20])
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
        # a product that joins the catalog is counted in
        newcomer = self.env["product.template"].create(
            {"name": "新面膜", "categ_id": self.masks.id}
        )
        _count, badges = queries(newcomer)
        self.assertEqual(badges[newcomer.id], ["面膜买二送一", "满299减50"])

    def test_badges_on_the_shop_and_the_product_page(self):
        self._program("面膜买二送一", "buy_x_get_y", rule={"product_category_id": self.masks.id})
        html = self.url_open("/shop?search=补水面膜").text
        self.assertIn("o_fenxiao_promotion_badge", html)
        self.assertIn("面膜买二送一", html)
        html = self.url_open(self.mask.website_url).text
        self.assertIn("面膜买二送一", html)
        self.assertNotIn("面膜买二送一", self.url_open(self.toner.website_url).text)
