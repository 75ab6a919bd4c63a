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

CROWD = 16  # shoppers of the crowd test, taking in pairs of overlapping transactions


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
            partners = env["res.partner"].create(
                [{"name": "抢购甲"}, {"name": "抢购乙"}]
                + [{"name": f"抢购{n}"} for n in range(CROWD)]
            )
            orders = env[
                "sale.order"
            ].create(
                [
                    {"partner_id": partners[0].id, "website_id": website.id},
                    {"partner_id": partners[1].id, "website_id": website.id},
                    # the first shopper's second tab (another cart)
                    {"partner_id": partners[0].id, "website_id": website.id},
                ]
                # a crowd of shoppers, one cart each
                + [{"partner_id": partner.id, "website_id": website.id} for partner in partners[2:]]
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
                "DELETE FROM fenxiao_flash_sale_shopper WHERE flash_sale_id = %s",
                [self.ids["sale"]],
            )
            cr.execute(
                "UPDATE fenxiao_flash_sale_slot SET quantity_reserved = 0 WHERE flash_sale_id = %s",
                [self.ids["sale"]],
            )
        self._set_cap(1)

    def _set_cap(self, cap, limit=1):
        """The sale's cap (its slots resized) and limit, committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            sale = env["fenxiao.flash.sale"].browse(self.ids["sale"])
            sale.write({"quantity_cap": cap, "limit_per_shopper": limit})

    def _race(self, first, second):
        """Run ``first`` and ``second`` (each ``func(env)``) in overlapping
        transactions; {"first": result or exception, "second": ...} and how
        many times each was retried."""
        return race(self.registry, first, second)

    def _add(self, order_index, qty=1, slot_order=None):
        """A cart add of one unit to the cart ``order_index``, trying the
        sale's slots in ``slot_order`` ("asc", "desc" or at random)."""
        order_id = self.ids["orders"][order_index]
        product_id = self.ids["product"]

        def func(env):
            env = env(context=dict(env.context, fenxiao_flash_slot_order=slot_order))
            order = env["sale.order"].browse(order_id)
            return order._cart_update(product_id=product_id, add_qty=qty)

        return func

    def _slots(self):
        """[(cap, units taken)] of the sale's slots, by id."""
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT quantity_cap, quantity_reserved FROM fenxiao_flash_sale_slot"
                " WHERE flash_sale_id = %s AND quantity_cap > 0 ORDER BY id",
                [self.ids["sale"]],
            )
            return cr.fetchall()

    def _shopper_counts_agree(self):
        """Each shopper's count is their live reservations' units."""
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT r.partner_id, sum(r.quantity), min(s.quantity)
                     FROM fenxiao_flash_sale_reservation r
                LEFT JOIN fenxiao_flash_sale_shopper s
                       ON s.flash_sale_id = r.flash_sale_id AND s.partner_id = r.partner_id
                    WHERE r.flash_sale_id = %s AND r.state IN ('reserved', 'sold')
                 GROUP BY r.partner_id""",
                [self.ids["sale"]],
            )
            for partner_id, held, counted in cr.fetchall():
                self.assertEqual(counted, held, partner_id)

    def _counts(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT COALESCE(sum(quantity_reserved), 0) FROM fenxiao_flash_sale_slot"
                " WHERE flash_sale_id = %s",
                [self.ids["sale"]],
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
        self._set_cap(10)
        results, retries = self._race(self._add(0), self._add(2))
        self.assertEqual(results["first"]["quantity"], 1)
        self.assertEqual(results["second"]["quantity"], 0)
        self.assertIn("at most 1", results["second"]["warning"])
        self.assertEqual(retries["second"], 1)
        self.assertEqual(self._counts(), (1, (1, 1)))

    # ------------------------------------------------------------------
    # The stock slots: takers of different slots do not conflict
    # ------------------------------------------------------------------
    def test_two_shoppers_take_the_last_units_of_two_slots_without_conflict(self):
        self._set_cap(2)
        self.assertEqual(self._slots(), [(1, 0), (1, 0)])
        results, retries = self._race(
            self._add(0, slot_order="asc"), self._add(1, slot_order="desc")
        )
        self.assertEqual((results["first"]["quantity"], results["second"]["quantity"]), (1, 1))
        self.assertEqual(retries, {"first": 0, "second": 0}, "different rows: no conflict")
        self.assertEqual(self._slots(), [(1, 1), (1, 1)])
        self.assertEqual(self._counts(), (2, (2, 2)))
        self._shopper_counts_agree()

    def test_a_taker_of_a_busy_slot_takes_another_one(self):
        self._set_cap(2)
        results, retries = self._race(
            self._add(0, slot_order="asc"), self._add(1, slot_order="asc")
        )
        self.assertEqual((results["first"]["quantity"], results["second"]["quantity"]), (1, 1))
        self.assertEqual(retries, {"first": 0, "second": 0}, "the second skipped the busy slot")
        self.assertEqual(self._slots(), [(1, 1), (1, 1)])
        self.assertEqual(self._counts(), (2, (2, 2)))

    def test_a_slot_changed_since_the_snapshot_is_skipped(self):
        """The second takes its snapshot, the first takes the first slot and
        commits, then the second tries that slot first: it fails to
        serialise there, and takes the other slot in the same transaction
        (the savepoint keeps it usable) rather than being retried."""
        self._set_cap(2)
        context = {"tracking_disable": True}
        with self.registry.cursor() as second_cr:
            second_cr.transaction = api.Transaction(self.registry)
            second_cr.execute("SELECT 1")  # the second's snapshot starts here
            with self.registry.cursor() as first_cr:
                first_cr.transaction = api.Transaction(self.registry)
                first_env = api.Environment(first_cr, SUPERUSER_ID, context)
                self._add(0, slot_order="asc")(first_env)
                first_env.flush_all()
                first_cr.commit()
            second_env = api.Environment(second_cr, SUPERUSER_ID, context)
            result = self._add(1, slot_order="asc")(second_env)
            second_env.flush_all()
            second_cr.commit()
        self.assertEqual(result["quantity"], 1)
        self.assertEqual(self._slots(), [(1, 1), (1, 1)])
        self.assertEqual(self._counts(), (2, (2, 2)))

    def test_the_last_units_over_several_slots_are_not_oversold(self):
        """3 units over 3 slots; the first takes 2 of them, the second wants 2
        at once: it cannot take them all, gives back what it took, is
        retried and gets the last one."""
        self._set_cap(3, limit=2)
        results, retries = self._race(
            self._add(0, qty=2, slot_order="asc"), self._add(1, qty=2, slot_order="asc")
        )
        self.assertEqual(results["first"]["quantity"], 2)
        self.assertEqual(results["second"]["quantity"], 1)
        self.assertIn("Only 1 left", results["second"]["warning"])
        self.assertEqual(retries["second"], 1, "the slots it needed changed: retried")
        self.assertEqual(self._slots(), [(1, 1)] * 3)
        self.assertEqual(self._counts(), (3, (2, 3)))
        self._shopper_counts_agree()

    def test_one_shopper_on_two_slots_in_two_tabs_cannot_pass_the_limit(self):
        """The tabs take different slots: only the shopper's count makes the
        second conflict, and its retry sees the first's unit."""
        self._set_cap(10)
        results, retries = self._race(
            self._add(0, slot_order="asc"), self._add(2, slot_order="desc")
        )
        self.assertEqual(results["first"]["quantity"], 1)
        self.assertEqual(results["second"]["quantity"], 0)
        self.assertIn("at most 1", results["second"]["warning"])
        self.assertEqual(retries["second"], 1)
        self.assertEqual(self._counts(), (1, (1, 1)))
        self._shopper_counts_agree()

    def test_a_crowd_of_takers_mostly_does_not_conflict(self):
        """Pairs of shoppers of a sale with plenty of units, at random slots:
        with one counter on the sale's row every pair conflicted once."""
        self._set_cap(100)
        pairs = CROWD // 2
        conflicts = 0
        for pair in range(pairs):
            first, second = 3 + 2 * pair, 4 + 2 * pair  # the crowd's carts
            results, retries = self._race(self._add(first), self._add(second))
            self.assertEqual(results["first"]["quantity"], 1, results)
            self.assertEqual(results["second"]["quantity"], 1, results)
            conflicts += retries["first"] + retries["second"]
        self.assertLess(conflicts, pairs, "fewer conflicts than with one row for the sale")
        self.assertLessEqual(conflicts, 1, conflicts)
        self.assertEqual(self._counts(), (CROWD, (CROWD, CROWD)))
        self._shopper_counts_agree()
