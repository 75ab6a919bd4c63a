from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class FlashSaleCase(TransactionCase):
    """A product at 99 in a running flash sale at 59 (cap 5, limit 2), two
    signed-in shoppers and their carts on the website."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.website = cls.env["website"].search([], limit=1)
        # demo promotions must not change these carts' figures
        cls.env["loyalty.program"].search([]).action_archive()
        cls.product = cls.env["product.product"].create(
            {
                "name": "秒杀遮瑕 Flash Concealer",
                "list_price": 99.0,
                "type": "consu",
                "taxes_id": [Command.clear()],
                "website_published": True,
                "sale_ok": True,
            }
        )
        cls.sale = cls._flash_sale(cls.product, price=59.0, cap=5, limit=2)
        cls.shopper_a = new_test_user(cls.env, "fx_flash_a", groups="base.group_portal")
        cls.shopper_b = new_test_user(cls.env, "fx_flash_b", groups="base.group_portal")

    @classmethod
    def _flash_sale(cls, product, price=59.0, cap=5, limit=2, start=-1, end=2, **values):
        """A flash sale from ``start`` to ``end`` hours from now."""
        now = fields.Datetime.now()
        return cls.env["fenxiao.flash.sale"].create(
            {
                "name": "秒杀 Flash",
                "product_id": product.id,
                "price": price,
                "date_start": now + timedelta(hours=start),
                "date_end": now + timedelta(hours=end),
                "quantity_cap": cap,
                "limit_per_shopper": limit,
                **values,
            }
        )

    def _cart(self, user):
        """A website cart of ``user``, read as the shop reads it (sudo, the
        shopper's env)."""
        order = self.env["sale.order"].create(
            {"partner_id": user.partner_id.id, "website_id": self.website.id}
        )
        return order.with_user(user).sudo()

    def _add(self, cart, qty=1, product=None, **kwargs):
        product = product or self.product
        return cart._cart_update(product_id=product.id, add_qty=qty, **kwargs)

    def _set(self, cart, qty, product=None):
        product = product or self.product
        line = cart.order_line.filtered(lambda line: line.product_id == product)
        return cart._cart_update(product_id=product.id, line_id=line.id, add_qty=None, set_qty=qty)

    def _live(self, sale=None):
        return (sale or self.sale).reservation_ids.filtered(
            lambda r: r.state in ("reserved", "sold")
        )

    def _slots(self, sale=None):
        """[(cap, units taken)] of the sale's stock slots, by id."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT quantity_cap, quantity_reserved FROM fenxiao_flash_sale_slot"
            " WHERE flash_sale_id = %s ORDER BY id",
            [(sale or self.sale).id],
        )
        return self.env.cr.fetchall()

    def _counted(self, user, sale=None):
        """The units the shopper's count says they hold in the sale."""
        self.env.flush_all()
        return self.env["fenxiao.flash.sale.shopper"]._fenxiao_held(
            sale or self.sale, user.partner_id
        )

    def _assert_counts_agree(self, sale=None):
        """The slots hold what the live reservations say they took from each,
        and each shopper's count is their live reservations' units."""
        sale = sale or self.sale
        live = self._live(sale)
        by_slot, by_partner = {}, {}
        for reservation in live:
            self.assertEqual(
                sum(reservation._fenxiao_slots().values()), reservation.quantity, reservation
            )
            for slot_id, units in reservation._fenxiao_slots().items():
                by_slot[slot_id] = by_slot.get(slot_id, 0) + units
            by_partner[reservation.partner_id] = (
                by_partner.get(reservation.partner_id, 0) + reservation.quantity
            )
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, quantity_reserved FROM fenxiao_flash_sale_slot"
            " WHERE flash_sale_id = %s AND quantity_reserved > 0",
            [sale.id],
        )
        self.assertEqual(dict(self.env.cr.fetchall()), by_slot)
        self.env.cr.execute(
            "SELECT partner_id, quantity FROM fenxiao_flash_sale_shopper"
            " WHERE flash_sale_id = %s AND quantity > 0",
            [sale.id],
        )
        self.assertEqual(
            dict(self.env.cr.fetchall()),
            {partner.id: units for partner, units in by_partner.items()},
        )
        self.assertEqual(sale.quantity_reserved, sum(live.mapped("quantity")))
