from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoMerchant(TransactionCase):
    """The demo cosmetics shop is complete enough to sell from on day one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the catalog on sale; the serum of the review demo is new and not in stock yet
        demo_ids = (
            cls.env["ir.model.data"]
            .search(
                [
                    ("module", "=", "fenxiao_demo"),
                    ("model", "=", "product.template"),
                    ("name", "!=", "product_ys_niacinamide_serum"),
                ]
            )
            .mapped("res_id")
        )
        cls.catalog = cls.env["product.template"].browse(demo_ids)

    def test_catalog_is_a_real_cosmetics_range(self):
        self.assertGreaterEqual(len(self.catalog), 30)
        self.assertFalse(
            self.catalog.filtered(lambda t: not t.image_1920), "every product has a photo"
        )
        self.assertFalse(
            self.catalog.filtered(lambda t: not t.product_brand_id), "every product has a brand"
        )
        self.assertGreaterEqual(len(self.catalog.product_brand_id), 4)
        self.assertGreaterEqual(
            len(self.catalog.product_tag_ids), 6, "products are tagged by function"
        )
        beauty = self.env.ref("fenxiao_demo.categ_beauty")
        self.assertEqual(
            self.catalog,
            self.catalog.filtered_domain([("categ_id", "child_of", beauty.id)]),
            "every product sits in the cosmetics category tree",
        )
        self.assertGreaterEqual(len(self.catalog.categ_id), 10)
        prices = self.catalog.mapped("list_price")
        self.assertLess(min(prices), 100, "cheap everyday items")
        self.assertGreater(max(prices), 300, "premium items")
        self.assertTrue(all(t.standard_price < t.list_price for t in self.catalog))

    def test_some_products_have_shades_and_sizes(self):
        lipstick = self.env.ref("fenxiao_demo.product_hjj_lipstick")
        self.assertEqual(lipstick.product_variant_count, 4)
        self.assertEqual(
            set(lipstick.attribute_line_ids.attribute_id.mapped("display_type")), {"color"}
        )
        perfume = self.env.ref("fenxiao_demo.product_hjj_perfume")
        prices = sorted(perfume.product_variant_ids.mapped(lambda v: v.lst_price))
        self.assertEqual(prices, [329.0, 449.0, 589.0], "bigger bottles cost more")

    def test_stock_on_hand_some_low(self):
        variants = self.catalog.product_variant_ids
        self.assertTrue(all(t.is_storable for t in self.catalog))
        quantities = dict(zip(variants.ids, variants.mapped("qty_available"), strict=True))
        self.assertFalse([v for v, qty in quantities.items() if qty <= 0], "everything is in stock")
        low = [v for v, qty in quantities.items() if qty < 6]
        self.assertGreaterEqual(len(low), 5, "a few items run low")
        self.assertLess(len(low), len(variants) / 3)

    def test_merchant_is_chinese(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.country_id.code, "CN")
        self.assertEqual(company.state_id, self.env.ref("base.state_cn_ZJ"))
        for login in ("distributor", "shopper"):
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertTrue(user.share, f"{login} is a portal user")
            self.assertEqual(user.partner_id.country_id.code, "CN")

    def test_demo_network(self):
        demo = self.env["fenxiao.distributor"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", "fenxiao_demo"), ("model", "=", "fenxiao.distributor")])
            .mapped("res_id")
        )
        self.assertEqual(len(demo), 30)
        self.assertEqual(max(demo.mapped("depth")), 4)
        self.assertEqual(
            set(demo.mapped("state")), {"active", "applicant", "suspended", "disqualified"}
        )
        lina = self.env.ref("fenxiao_demo.dist_lina")
        self.assertEqual(lina.partner_id.user_ids.login, "distributor")
        self.assertGreaterEqual(lina.team_size, 8)
        shopper = self.env.ref("fenxiao_demo.partner_demo_shopper")
        self.assertEqual(shopper.fenxiao_distributor_id, lina)
        self.assertEqual(shopper.fenxiao_binding_ids.cause, "signup")
        self.assertGreaterEqual(len(demo.customer_ids), 20)
