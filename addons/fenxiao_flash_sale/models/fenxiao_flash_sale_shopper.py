from odoo import api, fields, models


class FenxiaoFlashSaleShopper(models.Model):
    """The units one shopper holds in one flash sale (live reservations:
    reserved or sold), in one row per (sale, shopper).

    Every change of a shopper's reservations updates this row in the same
    transaction, in one conditional statement that keeps it within the
    sale's limit. Two concurrent requests of the same shopper therefore
    conflict on it (the later one fails to serialise and Odoo retries it,
    then sees the other's units), while different shoppers never touch each
    other's row: the per-shopper limit holds without serialising the whole
    sale, which the stock slots (``fenxiao.flash.sale.slot``) no longer do.

    Written only by SQL in ``_fenxiao_add``: never by hand."""

    _name = "fenxiao.flash.sale.shopper"
    _description = "Flash Sale Units per Shopper"
    _order = "flash_sale_id, id"

    flash_sale_id = fields.Many2one(
        "fenxiao.flash.sale", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Shopper", required=True, ondelete="cascade", readonly=True
    )
    quantity = fields.Integer(string="Units Held", required=True, default=0, readonly=True)

    _sql_constraints = [
        (
            "sale_partner_uniq",
            "UNIQUE(flash_sale_id, partner_id)",
            "A shopper has one count per flash sale.",
        ),
        ("quantity_positive", "CHECK(quantity >= 0)", "A shopper cannot hold fewer than 0 units."),
    ]

    @api.model
    def _fenxiao_held(self, sale, partner):
        """The units ``partner`` holds in ``sale`` (in this transaction's snapshot)."""
        self.env.cr.execute(
            "SELECT quantity FROM fenxiao_flash_sale_shopper"
            " WHERE flash_sale_id = %s AND partner_id = %s",
            [sale.id, partner.id],
        )
        row = self.env.cr.fetchone()
        return row[0] if row else 0

    @api.model
    def _fenxiao_add(self, sale, partner, quantity):
        """Count ``quantity`` more units (or fewer, when negative, never below
        zero) for ``partner`` in ``sale``. More units are counted only within
        the sale's limit per shopper: returns whether they were.

        One statement, no read-then-write: when another transaction changed
        this shopper's row meanwhile, PostgreSQL refuses it with a
        serialisation failure (REPEATABLE READ) and Odoo retries the request."""
        if not quantity:
            return True
        cr = self.env.cr
        if quantity < 0:
            cr.execute(
                """
                UPDATE fenxiao_flash_sale_shopper
                   SET quantity = GREATEST(quantity + %(qty)s, 0),
                       write_uid = %(uid)s, write_date = now() at time zone 'UTC'
                 WHERE flash_sale_id = %(sale)s AND partner_id = %(partner)s
                """,
                {"qty": quantity, "sale": sale.id, "partner": partner.id, "uid": self.env.uid},
            )
        else:
            cr.execute(
                """
                INSERT INTO fenxiao_flash_sale_shopper AS shopper
                       (flash_sale_id, partner_id, quantity,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(sale)s, %(partner)s, %(qty)s,
                       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                 WHERE %(qty)s <= %(limit)s
                    ON CONFLICT (flash_sale_id, partner_id) DO UPDATE
                   SET quantity = shopper.quantity + EXCLUDED.quantity,
                       write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                 WHERE shopper.quantity + EXCLUDED.quantity <= %(limit)s
             RETURNING id
                """,
                {
                    "qty": quantity,
                    "sale": sale.id,
                    "partner": partner.id,
                    "limit": sale.limit_per_shopper,
                    "uid": self.env.uid,
                },
            )
            if not cr.fetchone():
                return False
        self.invalidate_model(["quantity"])
        return True
