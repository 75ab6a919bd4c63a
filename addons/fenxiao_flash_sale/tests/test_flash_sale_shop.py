from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestFlashSaleShop(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["loyalty.program"].search([]).action_archive()
        cls.product = cls.env["product.product"].create(
            {
                "name": "秒杀遮瑕 Flash Concealer",
                "list_price": 99.0,
                "type": "consu",
                "taxes_id": [Command.clear()],
                "is_published": True,
                "sale_ok": True,
            }
        )
        now = fields.Datetime.now()
        cls.sale = cls.env["fenxiao.flash.sale"].create(
            {
                "name": "秒杀 Flash",
                "product_id": cls.product.id,
                "price": 59.0,
                "date_start": now - timedelta(hours=1),
                "date_end": now + timedelta(hours=2),
                "quantity_cap": 10,
                "limit_per_shopper": 2,
            }
        )
        cls.shopper = new_test_user(cls.env, "fx_flash_shop", groups="base.group_portal")

    def _said(self, warning, source, **params):
        """``warning`` is ``source`` in English or in Chinese (the shop's language)."""
        expected = {
            self.env(context={"lang": lang})._(source, **params)  # pylint: disable=translation-required
            for lang in ("en_US", "zh_CN")
        }
        self.assertIn(warning, expected)

    def _update(self, **params):
        return self.make_jsonrpc_request(
            "/shop/cart/update_json", {"product_id": self.product.id, **params}
        )

    def test_a_tampered_quantity_is_clipped_to_the_limit(self):
        self.authenticate("fx_flash_shop", "fx_flash_shop")
        values = self._update(add_qty=1000)
        self.assertEqual(values["quantity"], 2)
        self._said(
            values["notification_info"]["warning"],
            "You can buy at most %(limit)s of this item in the flash sale.",
            limit=2,
        )
        self.assertEqual(self.sale.quantity_reserved, 2)
        line = self.env["sale.order.line"].browse(values["line_id"])
        self.assertEqual((line.product_uom_qty, line.price_unit), (2, 59.0))

        # a negative quantity empties the line and gives the units back
        values = self._update(line_id=line.id, add_qty=-50)
        self.assertEqual(values["quantity"], -48)
        self.assertFalse(line.exists())
        self.assertEqual(self.sale.quantity_reserved, 0)

        # a set quantity past the limit is clipped as well
        values = self._update(set_qty=7)
        self.assertEqual(values["quantity"], 2)
        self.assertEqual(self.sale.quantity_reserved, 2)

    def test_an_anonymous_visitor_is_asked_to_sign_in(self):
        values = self._update(add_qty=1)
        self.assertEqual(values["quantity"], 0)
        self._said(values["notification_info"]["warning"], "Please sign in to join the flash sale.")
        self.assertEqual(self.sale.quantity_reserved, 0)

    def test_the_product_page_and_card_show_the_flash_sale(self):
        page = self.url_open(self.product.website_url).text
        self.assertIn("o_fenxiao_flash_running", page)
        self.assertIn(fields.Datetime.to_string(self.sale.date_end) + "Z", page)
        self.assertIn("59.00", page)
        self.assertIn("oe_default_price", page)
        listing = self.url_open("/shop?search=Flash Concealer").text
        self.assertIn("o_fenxiao_flash_card", listing)
        self.assertIn("59.00", listing)

    def test_a_sold_out_flash_sale_disables_add_to_cart(self):
        self.assertTrue(self.sale._fenxiao_take(10))
        self.assertEqual(self.sale.state, "sold_out")
        page = self.url_open(self.product.website_url).text
        self.assertIn("o_fenxiao_flash_sold_out", page)
        self.assertIn('class="o_fenxiao_flash_sold_out_product"', page)
        # and the cart refuses it
        self.authenticate("fx_flash_shop", "fx_flash_shop")
        values = self._update(add_qty=1)
        self.assertEqual(values["quantity"], 0)
        self._said(
            values["notification_info"]["warning"], "Sold out: the flash sale has no units left."
        )

    def test_pages_without_a_flash_sale_read_none(self):
        """Every shop page looks for flash sales: for products without one it
        costs no query, and a sale made, moved or archived shows at once."""
        FlashSale = self.env["fenxiao.flash.sale"]
        website = self.env["website"].search([], limit=1)
        others = self.env["product.template"].search(
            [("sale_ok", "=", True), ("id", "!=", self.product.product_tmpl_id.id)], limit=20
        )
        FlashSale._fenxiao_current(others, website)  # fills the cache
        with self.assertQueryCount(0):
            self.assertEqual(FlashSale._fenxiao_current(others, website), {})
        self.assertEqual(
            FlashSale._fenxiao_current(self.product.product_tmpl_id, website),
            {self.product.id: self.sale},
        )
        now = fields.Datetime.now()
        self.sale.date_start = now + timedelta(hours=1)
        self.assertFalse(FlashSale._fenxiao_current(self.product, website))
        self.assertEqual(
            FlashSale._fenxiao_current(self.product, website, with_scheduled=True),
            {self.product.id: self.sale},
        )
        other = others.product_variant_ids[:1]
        sale = FlashSale.create(
            {
                "name": "秒杀 2",
                "product_id": other.id,
                "price": 1.0,
                "date_start": now - timedelta(hours=1),
                "date_end": now + timedelta(hours=1),
            }
        )
        self.assertEqual(FlashSale._fenxiao_current(others, website), {other.id: sale})
        sale.action_archive()
        self.assertEqual(FlashSale._fenxiao_current(others, website), {})
