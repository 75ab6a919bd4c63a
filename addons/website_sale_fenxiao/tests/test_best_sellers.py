from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestBestSellers(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.hot, cls.slow = Product.create(
            [
                {"name": "爆款面膜", "list_price": 99.0, "is_published": True, "sale_ok": True},
                {"name": "冷门精华", "list_price": 299.0, "is_published": True, "sale_ok": True},
            ]
        )
        customer = cls.env["res.partner"].create({"name": "顾客"})

        def order(product, qty, days_ago=1):
            sale = cls.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": qty})
                    ],
                }
            )
            sale.action_confirm()
            sale.date_order = fields.Datetime.now() - timedelta(days=days_ago)
            return sale

        order(cls.hot, 30)
        order(cls.hot, 12, days_ago=20)
        order(cls.slow, 2)
        order(cls.slow, 500, days_ago=120)  # long ago: not counted
        cancelled = order(cls.slow, 100)
        cancelled._action_cancel()
        cls.env["product.template"]._cron_fenxiao_refresh_best_sellers()

    def test_units_sold_in_90_days(self):
        self.assertEqual(self.hot.product_tmpl_id.fenxiao_sales_90d, 42)
        self.assertEqual(self.slow.product_tmpl_id.fenxiao_sales_90d, 2)
        templates = self.env["product.template"].search(
            [("id", "in", (self.hot | self.slow).product_tmpl_id.ids)],
            order="fenxiao_sales_90d desc",
        )
        self.assertEqual(templates[0], self.hot.product_tmpl_id)

    def test_shop_sorts_by_best_selling_and_refuses_bad_sorts(self):
        page = self.url_open("/shop?order=fenxiao_sales_90d+desc&search=面膜")
        self.assertEqual(page.status_code, 200)
        self.assertIn("爆款面膜", page.text)
        for order in ("id; DROP TABLE sale_order", "nosuchfield desc", "x" * 5000, "1,2"):
            with self.subTest(order=order[:20]):
                self.assertEqual(self.url_open(f"/shop?order={order}").status_code, 200)
