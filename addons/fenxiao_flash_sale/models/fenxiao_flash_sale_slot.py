from odoo import fields, models


class FenxiaoFlashSaleSlot(models.Model):
    """A stripe of a flash sale's units: the sale's cap is split over a few
    slots (``fenxiao.flash.sale._fenxiao_slot_count``), each with its own cap
    and count, and the sale's units taken are the sum of its slots'.

    Why: under REPEATABLE READ two transactions that update the same row
    conflict, and the later one is retried by Odoo. With one counter on the
    sale's row every two concurrent takers of a sale conflicted; with the
    units spread over slots, concurrent takers pick slots in a random order
    and mostly update different rows. The CHECK below is the guard of the
    cap: a slot never holds more than its own cap, and the slots' caps add up
    to the sale's (``fenxiao.flash.sale._fenxiao_resize_slots``).

    Written only by SQL in ``fenxiao.flash.sale``: never by hand."""

    _name = "fenxiao.flash.sale.slot"
    _description = "Flash Sale Stock Slot"
    _order = "flash_sale_id, id"

    flash_sale_id = fields.Many2one(
        "fenxiao.flash.sale", required=True, ondelete="cascade", index=True, readonly=True
    )
    quantity_cap = fields.Integer(string="Units", required=True, default=0, readonly=True)
    quantity_reserved = fields.Integer(
        string="Units Taken", required=True, default=0, readonly=True
    )

    _sql_constraints = [
        (
            "reserved_within_cap",
            "CHECK(quantity_reserved >= 0 AND quantity_reserved <= quantity_cap)",
            "The units on sale cannot be fewer than the units already taken.",
        ),
    ]
