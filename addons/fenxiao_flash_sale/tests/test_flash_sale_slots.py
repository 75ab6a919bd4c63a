import importlib.util
from pathlib import Path

from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FlashSaleCase


@tagged("post_install", "-at_install")
class TestFlashSaleSlots(FlashSaleCase):
    """The units on sale split over stock slots, and the counts per shopper."""

    def test_the_cap_is_split_over_slots(self):
        self.assertEqual(self._slots(), [(1, 0)] * 5, "one slot a unit up to 32")
        self.sale.quantity_cap = 100
        slots = self._slots()
        self.assertEqual(len(slots), 32)
        self.assertEqual(sum(cap for cap, _taken in slots), 100)
        self.assertLessEqual(max(slots)[0] - min(slots)[0], 1, "spread evenly")
        self.assertEqual(self.sale.state, "running")

    def test_a_take_spreads_over_slots_all_or_nothing(self):
        taken = self.sale._fenxiao_take(3)
        self.assertEqual(sorted(taken.values()), [1, 1, 1])
        self.assertEqual(self.sale.quantity_reserved, 3)
        self.assertFalse(self.sale._fenxiao_take(3), "2 left")
        self.assertEqual(self.sale.quantity_reserved, 3, "nothing half-taken")
        self.assertEqual(sorted(self._slots()), [(1, 0), (1, 0), (1, 1), (1, 1), (1, 1)])
        self.assertTrue(self.sale._fenxiao_take(2))
        self.assertEqual(self._slots(), [(1, 1)] * 5)
        self.assertEqual(self.sale.state, "sold_out")

    def test_an_ended_or_archived_sale_gives_no_units(self):
        self.sale.active = False
        self.assertFalse(self.sale._fenxiao_take(1))
        self.sale.active = True
        self.assertTrue(self.sale._fenxiao_take(1))

    def test_changing_the_cap_keeps_the_units_taken(self):
        cart = self._cart(self.shopper_a)
        self._add(cart, 2)
        before = {slot for slot in self._live()._fenxiao_slots()}
        self.sale.quantity_cap = 40
        slots = self._slots()
        self.assertEqual((len(slots), sum(cap for cap, _taken in slots)), (32, 40))
        self.assertEqual(self.sale.quantity_reserved, 2)
        self.assertEqual(set(self._live()._fenxiao_slots()), before)
        self._assert_counts_agree()
        # down to what is taken, not below it
        self.sale.quantity_cap = 2
        self.assertEqual(self.sale.state, "sold_out")
        self.assertTrue(all(cap == taken for cap, taken in self._slots()))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.sale.quantity_cap = 1
        self.sale.quantity_cap = 10
        self.assertFalse(self.sale._fenxiao_take(9))
        self.assertTrue(self.sale._fenxiao_take(8))
        self.assertEqual(self.sale.quantity_reserved, 10)
        self._set(cart, 0)
        self.assertEqual(self.sale.quantity_reserved, 8, "the cart's units went back")

    def test_the_shopper_count_follows_the_reservations(self):
        self.sale.quantity_cap = 20
        self.sale.limit_per_shopper = 3
        first = self._cart(self.shopper_a)
        self._add(first, 2)
        self.assertEqual(self._counted(self.shopper_a), 2)
        self._set(first, 1)
        self.assertEqual(self._counted(self.shopper_a), 1)
        second = self._cart(self.shopper_a)
        result = self._add(second, 5)
        self.assertEqual(result["quantity"], 2, "3 at most, 1 in the first cart")
        self.assertEqual(self._counted(self.shopper_a), 3)
        self._add(self._cart(self.shopper_b), 1)
        self._assert_counts_agree()
        second.action_confirm()
        self.assertEqual(self._counted(self.shopper_a), 3, "sold units still count")
        first._action_cancel()
        self.assertEqual(self._counted(self.shopper_a), 2)
        self._assert_counts_agree()
        second._action_cancel()
        self.assertEqual(self._counted(self.shopper_a), 0)
        self.assertEqual(self.sale.quantity_reserved, 1)
        self._assert_counts_agree()

    def test_the_limit_holds_in_the_database(self):
        """The shopper's count refuses units past the limit, whatever the
        caller read before."""
        Shopper = self.env["fenxiao.flash.sale.shopper"]
        partner = self.shopper_a.partner_id
        self.assertFalse(Shopper._fenxiao_add(self.sale, partner, 3), "limit 2")
        self.assertTrue(Shopper._fenxiao_add(self.sale, partner, 2))
        self.assertFalse(Shopper._fenxiao_add(self.sale, partner, 1))
        self.assertEqual(self._counted(self.shopper_a), 2)
        Reservation = self.env["fenxiao.flash.sale.reservation"]
        self.assertFalse(Reservation._fenxiao_take_units(self.sale, partner, 1))
        self.assertEqual(self.sale.quantity_reserved, 0, "no stock taken past the limit")

    def test_units_of_a_data_file_reservation_are_taken(self):
        Reservation = self.env["fenxiao.flash.sale.reservation"]
        held = Reservation.create(
            {
                "flash_sale_id": self.sale.id,
                "partner_id": self.shopper_a.partner_id.id,
                "quantity": 2,
                "state": "sold",
            }
        )
        held._fenxiao_hold()
        self.assertEqual(self.sale.quantity_reserved, 2)
        self._assert_counts_agree()
        too_many = Reservation.create(
            {
                "flash_sale_id": self.sale.id,
                "partner_id": self.shopper_a.partner_id.id,
                "quantity": 1,
            }
        )
        with self.assertRaises(UserError):
            too_many._fenxiao_hold()

    def test_the_counts_can_be_rebuilt_from_the_reservations(self):
        self._add(self._cart(self.shopper_a), 2)
        self._add(self._cart(self.shopper_b), 1)
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM fenxiao_flash_sale_slot WHERE flash_sale_id = %(id)s;"
            "DELETE FROM fenxiao_flash_sale_shopper WHERE flash_sale_id = %(id)s",
            {"id": self.sale.id},
        )
        self.env.invalidate_all()
        self.assertEqual(self.sale.quantity_reserved, 0)
        # one more unit counted than the reservations hold: taken without one
        self.sale._fenxiao_rebuild_counts({self.sale.id: 4})
        self.assertEqual(self.sale.quantity_reserved, 4)
        self.assertEqual(sum(cap for cap, _taken in self._slots()), 5)
        self.assertEqual((self._counted(self.shopper_a), self._counted(self.shopper_b)), (2, 1))
        self.assertTrue(self.sale._fenxiao_take(1))
        self.assertFalse(self.sale._fenxiao_take(1))

    def test_the_migration_counts_the_single_counter_into_slots(self):
        self._add(self._cart(self.shopper_a), 2)
        self.env.flush_all()
        cr = self.env.cr
        # the database as 18.0.1.0.0 left it: the counter, no slots
        cr.execute(
            "DELETE FROM fenxiao_flash_sale_slot WHERE flash_sale_id = %(id)s;"
            "DELETE FROM fenxiao_flash_sale_shopper WHERE flash_sale_id = %(id)s;"
            "ALTER TABLE fenxiao_flash_sale ADD COLUMN quantity_reserved integer;"
            "UPDATE fenxiao_flash_sale SET quantity_reserved = 0;"
            "UPDATE fenxiao_flash_sale SET quantity_reserved = 3 WHERE id = %(id)s",
            {"id": self.sale.id},
        )
        self.env.invalidate_all()
        path = Path(__file__).parents[1] / "migrations/18.0.1.1.0/post-migrate.py"
        spec = importlib.util.spec_from_file_location("fenxiao_flash_sale_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self.sale.quantity_reserved, 3)
        self.assertEqual(sum(cap for cap, _taken in self._slots()), 5)
        self.assertEqual(self._counted(self.shopper_a), 2)
        self.assertEqual(sum(self._live()._fenxiao_slots().values()), 2)
        cr.execute(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'fenxiao_flash_sale' AND column_name = 'quantity_reserved'"
        )
        self.assertFalse(cr.fetchone(), "the old column is gone")
