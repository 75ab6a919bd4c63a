from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class FenxiaoFlashSaleReservation(models.Model):
    """Units of a flash sale held by one cart line: reserved while the shopper
    pays, sold once the order is confirmed, released when the line goes, the
    order is cancelled or the time to pay runs out.

    Every change of a reservation's units goes with the same change of the
    counts, in the same transaction: of the sale's stock slots it took them
    from (``slot_quantities``), so that the slots' counts, and their sum, the
    sale's ``quantity_reserved``, are the units of its live reservations; and
    of the shopper's count in the sale (``fenxiao.flash.sale.shopper``), which
    keeps the limit per shopper."""

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
    # {slot id: units}: where the units were taken, so that they go back there
    slot_quantities = fields.Json(string="Units per Stock Slot", readonly=True, copy=False)

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

    def _fenxiao_slots(self):
        """The units held on each slot, {slot id: units}."""
        self.ensure_one()
        return {int(slot_id): units for slot_id, units in (self.slot_quantities or {}).items()}

    @api.model
    def _fenxiao_take_units(self, sale, partner, quantity):
        """Take ``quantity`` units of ``sale`` for ``partner``: their count in
        the sale first (within the limit; a concurrent request of theirs
        conflicts there), then the sale's slots. Returns {slot id: units}, or
        an empty dict when the limit or the sale refuses them (nothing is then
        counted)."""
        Shopper = self.env["fenxiao.flash.sale.shopper"].sudo()
        if not Shopper._fenxiao_add(sale, partner, quantity):
            return {}
        slots = sale._fenxiao_take(quantity)
        if not slots:
            Shopper._fenxiao_add(sale, partner, -quantity)
        return slots

    @api.model
    def _fenxiao_reserve(self, sale, order, quantity):
        """Take ``quantity`` units of ``sale`` for the cart ``order`` and hold
        them in a new reservation (empty when they cannot be taken)."""
        slots = self._fenxiao_take_units(sale, order.partner_id, quantity)
        if not slots:
            return self.browse()
        return self.create(
            {
                "flash_sale_id": sale.id,
                "order_id": order.id,
                "partner_id": order.partner_id.id,
                "quantity": quantity,
                "slot_quantities": {str(slot_id): units for slot_id, units in slots.items()},
            }
        )

    def _fenxiao_hold(self):
        """Take the units of live reservations created without them (data
        files: the demo's sold units), as the cart would have; raises when the
        sale or the shopper's limit cannot give them."""
        for reservation in self.filtered(
            lambda r: r.state in ("reserved", "sold") and not r.slot_quantities
        ):
            sale = reservation.flash_sale_id
            slots = self._fenxiao_take_units(sale, reservation.partner_id, reservation.quantity)
            if not slots:
                raise UserError(
                    self.env._(
                        "The flash sale %(sale)s cannot give %(quantity)s units to %(shopper)s.",
                        sale=sale.name,
                        quantity=reservation.quantity,
                        shopper=reservation.partner_id.display_name,
                    )
                )
            reservation.slot_quantities = {str(k): units for k, units in slots.items()}

    def _fenxiao_release(self):
        """Give the units of live reservations back to their sales' slots and
        take them off their shoppers' counts."""
        Shopper = self.env["fenxiao.flash.sale.shopper"].sudo()
        live = self.filtered(lambda r: r.state in ("reserved", "sold"))
        for reservation in live:
            reservation.flash_sale_id._fenxiao_give_back(reservation._fenxiao_slots())
            Shopper._fenxiao_add(
                reservation.flash_sale_id, reservation.partner_id, -reservation.quantity
            )
        # the slots stay written: where the units were, as history
        live.write({"state": "released"})
        return live

    def _fenxiao_resize(self, quantity):
        """Hold ``quantity`` units instead of the current ones; returns False (and
        changes nothing) when the sale or the shopper's limit cannot give the
        extra units."""
        self.ensure_one()
        delta = quantity - self.quantity
        if not delta:
            return True
        sale, slots = self.flash_sale_id, self._fenxiao_slots()
        if delta > 0:
            more = self._fenxiao_take_units(sale, self.partner_id, delta)
            if not more:
                return False
            for slot_id, units in more.items():
                slots[slot_id] = slots.get(slot_id, 0) + units
        else:
            # taken off its slots in turn
            back, left = {}, -delta
            for slot_id in reversed(list(slots)):
                units = min(left, slots[slot_id])
                back[slot_id], slots[slot_id], left = units, slots[slot_id] - units, left - units
                if not left:
                    break
            sale._fenxiao_give_back(back)
            self.env["fenxiao.flash.sale.shopper"].sudo()._fenxiao_add(sale, self.partner_id, delta)
        self.write(
            {
                "quantity": quantity,
                "slot_quantities": {str(k): units for k, units in slots.items() if units},
            }
        )
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
