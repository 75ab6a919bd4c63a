from datetime import timedelta

from odoo import api, fields, models


class FenxiaoFlashSaleReservation(models.Model):
    """Units of a flash sale held by one cart line: reserved while the shopper
    pays, sold once the order is confirmed, released when the line goes, the
    order is cancelled or the time to pay runs out.

    Every change of a reservation's units goes with the same change of the
    sale's ``quantity_reserved``, in the same transaction."""

    _name = "fenxiao.flash.sale.reservation"
    _description = "Flash Sale Reservation"
    _order = "id desc"

    flash_sale_id = fields.Many2one(
        "fenxiao.flash.sale", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(related="flash_sale_id.company_id", store=True)
    order_id = fields.Many2one("sale.order", ondelete="set null", index=True)
    # Not cascade: a line's units go back to the sale before the line goes
    # (sale.order.line.unlink); the reservation stays as history.
    order_line_id = fields.Many2one("sale.order.line", ondelete="set null", index="btree_not_null")
    partner_id = fields.Many2one("res.partner", string="Shopper", required=True, index=True)
    quantity = fields.Integer(required=True, readonly=True)
    state = fields.Selection(
        [("reserved", "Waiting for Payment"), ("sold", "Sold"), ("released", "Released")],
        required=True,
        default="reserved",
        readonly=True,
        index=True,
    )

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A reservation holds at least one unit."),
    ]

    def init(self):
        # one live reservation per order line: a line's units are counted once
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS fenxiao_flash_sale_reservation_live_line_uniq
                ON fenxiao_flash_sale_reservation (order_line_id)
             WHERE state IN ('reserved', 'sold') AND order_line_id IS NOT NULL
            """
        )

    def _fenxiao_release(self):
        """Give the units of live reservations back to their sales."""
        live = self.filtered(lambda r: r.state in ("reserved", "sold"))
        for reservation in live:
            reservation.flash_sale_id._fenxiao_give_back(reservation.quantity)
        live.write({"state": "released"})
        return live

    def _fenxiao_resize(self, quantity):
        """Hold ``quantity`` units instead of the current ones; returns False (and
        changes nothing) when the sale cannot give the extra units."""
        self.ensure_one()
        delta = quantity - self.quantity
        if delta > 0 and not self.flash_sale_id._fenxiao_take(delta):
            return False
        if delta < 0:
            self.flash_sale_id._fenxiao_give_back(-delta)
        if delta:
            self.write({"quantity": quantity})
        return True

    @api.model
    def _cron_release_unpaid(self):
        """Carts that held flash-sale units longer than the sale's time to pay
        without starting a payment lose them: the line leaves the cart and the
        units go back on sale (the shopper then sees the normal product)."""
        now = fields.Datetime.now()
        candidates = self.search([("state", "=", "reserved")])
        expired = candidates.filtered(
            lambda r: r.create_date + timedelta(minutes=r.flash_sale_id.hold_minutes) < now
            and (not r.order_id or r.order_id.state in ("draft", "sent"))
            and not r.order_id.transaction_ids.filtered(
                lambda t: t.state in ("pending", "authorized", "done")
            )
        )
        # unlinking the lines releases their reservations first; the rest
        # (a reservation whose line is gone) is released here
        expired.order_line_id.unlink()
        expired._fenxiao_release()
        for order in expired.order_id:
            order.shop_warning = self.env._(
                "The flash-sale item was removed from your cart: it was not paid in time."
            )
        return expired
