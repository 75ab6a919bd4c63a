from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FlashSaleCase


@tagged("post_install", "-at_install")
class TestFlashSaleCart(FlashSaleCase):
    def test_a_flash_sale_line_costs_the_flash_price(self):
        cart = self._cart(self.shopper_a)
        result = self._add(cart, 1)
        line = cart.order_line
        self.assertEqual(result["quantity"], 1)
        self.assertEqual(line.fenxiao_flash_sale_id, self.sale)
        self.assertEqual(line.price_unit, 59.0)
        self.assertEqual(line.discount, 0.0)
        self.assertEqual(cart.amount_total, 59.0)
        self.assertEqual(self.sale.quantity_reserved, 1)
        self.assertEqual(self._live().order_line_id, line)
        self.assertEqual(self._live().state, "reserved")

    def test_the_quantity_is_clipped_to_the_shopper_limit(self):
        cart = self._cart(self.shopper_a)
        result = self._add(cart, 5)
        self.assertEqual(result["quantity"], 2)
        self.assertIn("at most 2", result["warning"])
        self.assertEqual(cart.order_line.product_uom_qty, 2)
        self.assertEqual(self.sale.quantity_reserved, 2)
        # adding more changes nothing
        result = self._add(cart, 1)
        self.assertEqual(result["quantity"], 2)
        self.assertEqual(self.sale.quantity_reserved, 2)
        self.assertEqual(self._live().quantity, 2)

    def test_the_limit_counts_the_shoppers_other_carts(self):
        self._add(self._cart(self.shopper_a), 1)
        other_cart = self._cart(self.shopper_a)
        result = self._add(other_cart, 2)
        self.assertEqual(result["quantity"], 1, "one already in the first cart")
        self.assertEqual(self.sale.quantity_reserved, 2)
        result = self._add(self._cart(self.shopper_a), 1)
        self.assertEqual(result["quantity"], 0)
        self.assertEqual(self.sale.quantity_reserved, 2)

    def test_the_quantity_is_clipped_to_what_is_left_then_sold_out(self):
        self.sale.limit_per_shopper = 4
        self._add(self._cart(self.shopper_a), 4)
        cart_b = self._cart(self.shopper_b)
        result = self._add(cart_b, 3)
        self.assertEqual(result["quantity"], 1, "cap 5, 4 taken")
        self.assertIn("Only 1 left", result["warning"])
        self.assertEqual(self.sale.quantity_reserved, 5)
        self.assertEqual(self.sale.state, "sold_out")
        shopper_c = self.env["res.users"].create(
            {
                "name": "丙 C",
                "login": "fx_flash_c",
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        cart_c = self._cart(shopper_c)
        result = self._add(cart_c, 1)
        self.assertEqual(result["quantity"], 0)
        self.assertIn("Sold out", result["warning"])
        self.assertFalse(cart_c.order_line, "no line for a sold-out flash sale")
        self.assertEqual(sum(self._live().mapped("quantity")), 5)

    def test_a_shopper_who_is_not_signed_in_is_refused(self):
        public = self.website.user_id
        cart = (
            self.env["sale.order"]
            .create({"partner_id": public.partner_id.id, "website_id": self.website.id})
            .with_user(public)
            .sudo()
        )
        result = self._add(cart, 1)
        self.assertEqual(result["quantity"], 0)
        self.assertIn("sign in", result["warning"])
        self.assertFalse(cart.order_line)
        self.assertEqual(self.sale.quantity_reserved, 0)

    def test_removing_the_line_gives_the_units_back(self):
        cart = self._cart(self.shopper_a)
        self._add(cart, 2)
        reservation = self._live()
        self._set(cart, 0)
        self.assertFalse(cart.order_line)
        self.assertEqual(self.sale.quantity_reserved, 0)
        self.assertEqual(reservation.state, "released")

    def test_lowering_the_quantity_gives_the_difference_back(self):
        cart = self._cart(self.shopper_a)
        self._add(cart, 2)
        result = self._set(cart, 1)
        self.assertEqual(result["quantity"], 1)
        self.assertEqual(self.sale.quantity_reserved, 1)
        self.assertEqual(self._live().quantity, 1)
        self.assertEqual(cart.order_line.price_unit, 59.0)

    def test_a_cancelled_order_gives_its_units_back(self):
        cart = self._cart(self.shopper_a)
        self._add(cart, 2)
        cart._action_cancel()
        self.assertEqual(self.sale.quantity_reserved, 0)
        self.assertFalse(self._live())

    def test_a_confirmed_order_sells_its_units(self):
        cart = self._cart(self.shopper_a)
        self._add(cart, 2)
        cart.action_confirm()
        self.assertEqual(self._live().state, "sold")
        self.assertEqual(self.sale.quantity_sold, 2)
        self.assertEqual(self.sale.quantity_reserved, 2, "sold units stay taken")

    def test_a_cart_not_paid_in_time_loses_its_units(self):
        Reservation = self.env["fenxiao.flash.sale.reservation"]
        cart = self._cart(self.shopper_a)
        self._add(cart, 1)
        paying = self._cart(self.shopper_b)
        self._add(paying, 1)
        self.env["payment.transaction"].create(
            {
                "provider_id": self.env["payment.provider"].search([], limit=1).id,
                "payment_method_id": self.env["payment.method"]
                .with_context(active_test=False)
                .search([], limit=1)
                .id,
                "amount": paying.amount_total,
                "currency_id": paying.currency_id.id,
                "partner_id": self.shopper_b.partner_id.id,
                "reference": f"FLASH-{paying.id}",
                "state": "pending",
                "sale_order_ids": [Command.set(paying.ids)],
            }
        )
        # within the time to pay: nothing happens
        self.assertFalse(Reservation._cron_release_unpaid())
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE fenxiao_flash_sale_reservation SET create_date = %s WHERE flash_sale_id = %s",
            [fields.Datetime.now() - timedelta(minutes=16), self.sale.id],
        )
        self.env.invalidate_all()
        released = Reservation._cron_release_unpaid()
        self.assertEqual(released.order_id, cart, "the cart paying keeps its unit")
        self.assertFalse(cart.order_line, "the line left the cart")
        self.assertTrue(cart.shop_warning)
        self.assertEqual(paying.order_line.product_uom_qty, 1)
        self.assertEqual(self.sale.quantity_reserved, 1)

    def test_a_back_office_line_is_never_a_flash_sale_line(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.shopper_a.partner_id.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        self.assertFalse(order.order_line.fenxiao_flash_sale_id)
        self.assertEqual(order.order_line.price_unit, 99.0)
        self.assertEqual(self.sale.quantity_reserved, 0)

    def test_before_and_after_the_sale_the_product_sells_normally(self):
        self.sale.write(
            {
                "date_start": fields.Datetime.now() + timedelta(hours=1),
                "date_end": fields.Datetime.now() + timedelta(hours=2),
            }
        )
        self.assertEqual(self.sale.state, "scheduled")
        cart = self._cart(self.shopper_a)
        result = self._add(cart, 3)
        self.assertEqual(result["quantity"], 3)
        self.assertFalse(cart.order_line.fenxiao_flash_sale_id)
        self.assertEqual(cart.order_line.price_unit, 99.0)
        self.assertEqual(self.sale.quantity_reserved, 0)

    def test_an_ended_sale_gives_no_more_units_to_its_lines(self):
        cart = self._cart(self.shopper_a)
        self._add(cart, 1)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE fenxiao_flash_sale"
            "   SET date_end = now() at time zone 'UTC' - interval '1 minute',"
            "       date_start = now() at time zone 'UTC' - interval '2 hours'"
            " WHERE id = %s",
            [self.sale.id],
        )
        self.env.invalidate_all()
        result = self._add(cart, 1)
        self.assertEqual(result["quantity"], 1, "the line keeps its unit, gets no more")
        self.assertIn("Sold out", result["warning"])
        self.assertEqual(self.sale.quantity_reserved, 1)

    def test_two_flash_sales_of_a_product_cannot_overlap(self):
        with self.assertRaises(ValidationError):
            self._flash_sale(self.product, start=1, end=3)
        # one after the other is fine
        later = self._flash_sale(self.product, start=3, end=4)
        self.assertEqual(later.state, "scheduled")

    def test_the_database_keeps_the_units_within_the_cap(self):
        self._add(self._cart(self.shopper_a), 2)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.sale.quantity_cap = 1
            self.sale.flush_recordset()
        self.assertFalse(self.sale._fenxiao_take(4), "5 is the cap")
        self.assertTrue(self.sale._fenxiao_take(3))
        self.assertEqual(self.sale.quantity_reserved, 5)

    def test_quantity_reserved_is_not_written_by_hand(self):
        self.sale.write({"quantity_reserved": 4, "name": "改名"})
        self.assertEqual(self.sale.quantity_reserved, 0)
        self.assertEqual(self.sale.name, "改名")

    def test_the_state_can_be_searched(self):
        Sale = self.env["fenxiao.flash.sale"]
        scheduled = self._flash_sale(self.product, start=5, end=6)
        self.assertIn(self.sale, Sale.search([("state", "=", "running")]))
        self.assertNotIn(self.sale, Sale.search([("state", "!=", "running")]))
        self.assertIn(scheduled, Sale.search([("state", "in", ["scheduled", "ended"])]))
        self.assertNotIn(scheduled, Sale.search([("state", "=", "running")]))
        self.sale._fenxiao_take(5)
        self.assertIn(self.sale, Sale.search([("state", "=", "sold_out")]))
        self.assertNotIn(self.sale, Sale.search([("state", "=", "running")]))


@tagged("post_install", "-at_install")
class TestFlashSaleQueries(FlashSaleCase):
    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_the_flash_sale_costs_the_cart_a_few_queries(self):
        """The cart is a hot path: a flash-sale add costs a handful of queries
        more than a normal one (the sale, the shopper's count and the units
        taken, the shopper's conditional upsert, the slots left, the slot's
        UPDATE and the savepoint around it, the reservation)."""
        normal = self.env["product.product"].create(
            {
                "name": "普通 Normal",
                "list_price": 99.0,
                "type": "consu",
                "taxes_id": False,
                "website_published": True,
            }
        )
        cart = self._cart(self.shopper_a)
        self._add(cart, 1, product=normal)  # warm the cart
        self._add(cart, 1, product=self.product)
        self._set(cart, 0)
        self._set(cart, 0, product=normal)
        normal_queries = self._queries(lambda: self._add(cart, 1, product=normal))
        flash_queries = self._queries(lambda: self._add(cart, 1))
        # 14 with one counter on the sale's row; the slots add the shopper's
        # upsert, the read of the slots and the savepoint (2 statements) that
        # lets a taker try another slot on a conflict rather than be retried
        self.assertLessEqual(flash_queries - normal_queries, 17, (normal_queries, flash_queries))
