"""Races between two real database connections.

As in fenxiao_commission's test_races: the data is committed through cursors
of the test's own, two transactions overlap (the second takes its snapshot
before the first commits, then needs the row the first updated), each retried
on serialisation failures as Odoo retries a request; the data is removed
afterwards.
"""

from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.fenxiao_commission.tests.race import race


@tagged("post_install", "-at_install")
class TestFlashSaleRaces(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            website = env["website"].search([], limit=1)
            product = env["product.product"].create(
                {"name": "并发秒杀", "type": "consu", "list_price": 99.0, "taxes_id": False}
            )
            now = fields.Datetime.now()
            sale = env["fenxiao.flash.sale"].create(
                {
                    "name": "并发秒杀",
                    "product_id": product.id,
                    "price": 59.0,
                    "date_start": now - timedelta(hours=1),
                    "date_end": now + timedelta(hours=1),
                    "quantity_cap": 1,
                    "limit_per_shopper": 1,
                }
            )
            partners = env["res.partner"].create([{"name": "抢购甲"}, {"name": "抢购乙"}])
            orders = env["sale.order"].create(
                [
                    {"partner_id": partners[0].id, "website_id": website.id},
                    {"partner_id": partners[1].id, "website_id": website.id},
                    # the first shopper's second tab (another cart)
                    {"partner_id": partners[0].id, "website_id": website.id},
                ]
            )
            cls.ids = {
                "product": product.id,
                "sale": sale.id,
                "partners": partners.ids,
                "orders": orders.ids,
            }
        cls.addClassCleanup(cls._remove_data)

    @classmethod
    def _remove_data(cls):
        ids = cls.ids
        with cls.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM fenxiao_flash_sale_reservation WHERE flash_sale_id = %s", [ids["sale"]]
            )
            cr.execute("DELETE FROM sale_order WHERE id IN %s", [tuple(ids["orders"])])
            cr.execute("DELETE FROM fenxiao_flash_sale WHERE id = %s", [ids["sale"]])
            cr.execute("DELETE FROM res_partner WHERE id IN %s", [tuple(ids["partners"])])
            cr.execute("DELETE FROM product_product WHERE id = %s", [ids["product"]])

    def setUp(self):
        super().setUp()
        self.addCleanup(self._reset)

    def _reset(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM sale_order_line WHERE order_id IN %s", [tuple(self.ids["orders"])]
            )
            cr.execute(
                "DELETE FROM fenxiao_flash_sale_reservation WHERE flash_sale_id = %s",
                [self.ids["sale"]],
            )
            cr.execute(
                "UPDATE fenxiao_flash_sale SET quantity_reserved = 0, quantity_cap = 1"
                " WHERE id = %s",
                [self.ids["sale"]],
            )

    def _race(self, first, second):
        """Run ``first`` and ``second`` (each ``func(env)``) in overlapping
        transactions; {"first": result or exception, "second": ...} and how
        many times each was retried."""
        return race(self.registry, first, second)

    def _add(self, order_index, qty=1):
        order_id = self.ids["orders"][order_index]
        product_id = self.ids["product"]

        def func(env):
            order = env["sale.order"].browse(order_id)
            return order._cart_update(product_id=product_id, add_qty=qty)

        return func

    def _counts(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT quantity_reserved FROM fenxiao_flash_sale WHERE id = %s", [self.ids["sale"]]
            )
            reserved = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*), coalesce(sum(quantity), 0) FROM fenxiao_flash_sale_reservation"
                " WHERE flash_sale_id = %s AND state IN ('reserved', 'sold')",
                [self.ids["sale"]],
            )
            return reserved, cr.fetchone()

    def test_two_shoppers_race_for_the_last_unit(self):
        results, retries = self._race(self._add(0), self._add(1))
        self.assertEqual(results["first"]["quantity"], 1)
        self.assertEqual(results["second"]["quantity"], 0)
        self.assertIn("Sold out", results["second"]["warning"])
        self.assertEqual(retries["second"], 1, "the second saw the first's update and retried")
        self.assertEqual(self._counts(), (1, (1, 1)))

    def test_one_shopper_in_two_tabs_cannot_pass_the_limit(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "UPDATE fenxiao_flash_sale SET quantity_cap = 10 WHERE id = %s", [self.ids["sale"]]
            )
        results, retries = self._race(self._add(0), self._add(2))
        self.assertEqual(results["first"]["quantity"], 1)
        self.assertEqual(results["second"]["quantity"], 0)
        self.assertIn("at most 1", results["second"]["warning"])
        self.assertEqual(retries["second"], 1)
        self.assertEqual(self._counts(), (1, (1, 1)))
