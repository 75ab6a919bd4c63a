import logging
import random
from collections import namedtuple

import psycopg2.errors

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# How many stock slots a sale's units are split over, at most: enough for
# concurrent takers (a few per HTTP worker) to rarely pick the same one.
MAX_SLOTS = 32

# What a request retried by Odoo may meet on a slot another taker changed.
CONFLICTS = (psycopg2.errors.SerializationFailure, psycopg2.errors.DeadlockDetected)

SaleWindow = namedtuple(
    "SaleWindow",
    "id product_id product_tmpl_id website_id company_id date_start date_end",
)


class FenxiaoFlashSale(models.Model):
    """限时秒杀: one product at a price between two moments, for at most
    ``quantity_cap`` units and ``limit_per_shopper`` units a shopper.

    The units are split over stock slots (``fenxiao.flash.sale.slot``, at
    most ``MAX_SLOTS`` rows, whose caps add up to the sale's), and
    ``quantity_reserved``, the units in carts and on paid orders, is the sum
    of the slots' counts. Only ``_fenxiao_take`` and ``_fenxiao_give_back``
    change the counts, each slot in one conditional UPDATE, and a CHECK on
    each slot keeps it within its cap: the database, not a read in Python,
    decides who gets the last unit. Concurrent takers try the slots in a
    random order, so they mostly update different rows and do not have to be
    serialised (one counter on the sale's row made every two concurrent
    takers conflict). The limit per shopper is kept by a row per shopper
    (``fenxiao.flash.sale.shopper``), updated with every take of theirs.
    """

    _name = "fenxiao.flash.sale"
    # the shop's cache of the sales not ended (_fenxiao_windows) is cleared
    # when a sale is made, changed or deleted
    _inherit = ["fenxiao.registry.cache.mixin"]
    _description = "Flash Sale"
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        domain="[('sale_ok', '=', True)]",
    )
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id", store=True, index=True)
    website_id = fields.Many2one(
        "website",
        ondelete="cascade",
        help="Leave empty to run the flash sale on every website.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    price = fields.Monetary(
        string="Flash Price",
        required=True,
        help="The unit price during the flash sale, taxes treated as in the product's sales price.",
    )
    list_price = fields.Float(related="product_id.lst_price", string="Normal Price")
    date_start = fields.Datetime(string="Starts", required=True)
    date_end = fields.Datetime(string="Ends", required=True)
    quantity_cap = fields.Integer(
        string="Units on Sale", required=True, default=100, help="No more than this sells."
    )
    limit_per_shopper = fields.Integer(
        string="Limit per Shopper",
        required=True,
        default=1,
        help="How many units one shopper can buy in this flash sale, over all their orders.",
    )
    hold_minutes = fields.Integer(
        string="Time to Pay (minutes)",
        required=True,
        default=15,
        help="How long a unit in a cart is held for a shopper who has not started paying; "
        "afterwards it is taken out of the cart and offered to others again.",
    )
    # The sum of the slots, which only the conditional UPDATEs below write:
    # not stored, a column on the sale's row would serialise the takers again.
    quantity_reserved = fields.Integer(
        string="Units Taken",
        compute="_compute_quantity_reserved",
        help="Units in carts waiting for payment plus units sold.",
    )
    slot_ids = fields.One2many(
        "fenxiao.flash.sale.slot",
        "flash_sale_id",
        string="Stock Slots",
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    quantity_sold = fields.Integer(string="Units Sold", compute="_compute_quantity_sold")
    progress = fields.Float(string="Taken (%)", compute="_compute_progress")
    state = fields.Selection(
        [
            ("scheduled", "Scheduled"),
            ("running", "Running"),
            ("sold_out", "Sold Out"),
            ("ended", "Ended"),
        ],
        compute="_compute_state",
        search="_search_state",
    )
    reservation_ids = fields.One2many(
        "fenxiao.flash.sale.reservation", "flash_sale_id", string="Reservations"
    )

    _sql_constraints = [
        ("price_positive", "CHECK(price >= 0)", "The flash price cannot be negative."),
        ("dates_ordered", "CHECK(date_start < date_end)", "A flash sale must end after it starts."),
        ("cap_positive", "CHECK(quantity_cap > 0)", "A flash sale needs units to sell."),
        (
            "limit_positive",
            "CHECK(limit_per_shopper > 0)",
            "A shopper must be allowed at least one unit.",
        ),
        ("hold_positive", "CHECK(hold_minutes > 0)", "The time to pay must be positive."),
        # the guard of the cap is on the slots (fenxiao.flash.sale.slot)
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("slot_ids.quantity_reserved")
    def _compute_quantity_reserved(self):
        taken = dict(
            self.env["fenxiao.flash.sale.slot"]
            .sudo()
            ._read_group(
                [("flash_sale_id", "in", self._origin.ids)],
                ["flash_sale_id"],
                ["quantity_reserved:sum"],
            )
        )
        for sale in self:
            sale.quantity_reserved = taken.get(sale._origin, 0)

    @api.depends("reservation_ids.state", "reservation_ids.quantity")
    def _compute_quantity_sold(self):
        sold = dict(
            self.env["fenxiao.flash.sale.reservation"]._read_group(
                [("flash_sale_id", "in", self.ids), ("state", "=", "sold")],
                ["flash_sale_id"],
                ["quantity:sum"],
            )
        )
        for sale in self:
            sale.quantity_sold = sold.get(sale, 0)

    @api.depends("quantity_reserved", "quantity_cap")
    def _compute_progress(self):
        for sale in self:
            cap = sale.quantity_cap
            sale.progress = min(100.0, 100.0 * sale.quantity_reserved / cap) if cap > 0 else 0.0

    @api.depends("active", "date_start", "date_end", "quantity_reserved", "quantity_cap")
    def _compute_state(self):
        now = fields.Datetime.now()
        for sale in self:
            if not sale.active or not sale.date_end or sale.date_end < now:
                sale.state = "ended"
            elif sale.date_start and sale.date_start > now:
                sale.state = "scheduled"
            elif sale.quantity_reserved >= sale.quantity_cap:
                sale.state = "sold_out"
            else:
                sale.state = "running"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise ValidationError(self.env._("Unsupported search on the flash sale's state."))
        values = {value} if isinstance(value, str) else set(value or ())
        now = fields.Datetime.now()
        by_state = {
            "scheduled": [("date_start", ">", now)],
            "ended": [("date_end", "<", now)],
            "running": [("date_start", "<=", now), ("date_end", ">=", now)],
        }
        domains = []
        for state in values:
            if state == "sold_out":
                # a comparison of two columns: read the few sales that run
                running = self.search(by_state["running"])
                ids = running.filtered(lambda s: s.quantity_reserved >= s.quantity_cap).ids
                domains.append([("id", "in", ids)])
            elif state == "running":
                running = self.search(by_state["running"])
                ids = running.filtered(lambda s: s.quantity_reserved < s.quantity_cap).ids
                domains.append([("id", "in", ids)])
            elif state in by_state:
                domains.append(by_state[state])
        domain = expression.OR(domains) if domains else expression.FALSE_DOMAIN
        if operator in ("!=", "not in"):
            domain = (
                ["!", *domain] if len(domain) > 1 else expression.distribute_not(["!", *domain])
            )
        return domain

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("product_id", "website_id", "date_start", "date_end", "active")
    def _check_no_overlap(self):
        """One flash price for a product at a time and place: the cart would not
        know which one to take. The product's row is locked first, so that two
        managers saving overlapping sales at once cannot both pass the check
        (the second one waits, then fails to serialise and is retried)."""
        sales = self.filtered("active")
        if not sales:
            return
        self.env.cr.execute(
            "SELECT id FROM product_product WHERE id IN %s FOR NO KEY UPDATE",
            [tuple(sales.product_id.ids)],
        )
        for sale in sales:
            domain = [
                ("id", "!=", sale.id),
                ("product_id", "=", sale.product_id.id),
                ("date_start", "<", sale.date_end),
                ("date_end", ">", sale.date_start),
            ]
            if sale.website_id:
                domain.append(("website_id", "in", [sale.website_id.id, False]))
            other = self.search(domain, limit=1)
            if other:
                raise ValidationError(
                    self.env._(
                        "%(product)s is already in the flash sale %(other)s at that time.",
                        product=sale.product_id.display_name,
                        other=other.name,
                    )
                )

    def write(self, vals):
        vals.pop("quantity_reserved", None)  # the slots' sum, never written
        result = super().write(vals)
        if "quantity_cap" in vals:
            self._fenxiao_resize_slots()
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("quantity_reserved", None)
        sales = super().create(vals_list)
        sales._fenxiao_resize_slots()
        return sales

    def _fenxiao_write_clears_cache(self, vals):
        return True

    # ------------------------------------------------------------------
    # The cap: stock slots, taken and given back each in one statement
    # ------------------------------------------------------------------
    def _fenxiao_slot_count(self):
        """How many slots carry the sale's units: one a unit up to MAX_SLOTS."""
        self.ensure_one()
        return max(1, min(self.quantity_cap, MAX_SLOTS))

    def _fenxiao_invalidate_counts(self):
        self.env["fenxiao.flash.sale.slot"].invalidate_model(["quantity_cap", "quantity_reserved"])
        self.invalidate_recordset(["quantity_reserved", "progress", "state"])

    def _fenxiao_resize_slots(self):
        """Spread each sale's cap over its slots (created as needed): every slot
        keeps the units it holds (reservations point at them) and the units
        left are shared evenly by the first ``_fenxiao_slot_count`` slots.

        A cap below the units already taken leaves a negative share, so some
        slot's cap falls below its count and the slots' CHECK refuses it (an
        IntegrityError, as the single counter's CHECK did). Every slot of the
        sale is updated, from its current count: a take committed meanwhile
        makes this fail to serialise, and Odoo retries with fresh counts."""
        Slot = self.env["fenxiao.flash.sale.slot"].sudo()
        cr = self.env.cr
        for sale in self:
            count = sale._fenxiao_slot_count()
            cr.execute(
                "SELECT id, quantity_reserved FROM fenxiao_flash_sale_slot"
                " WHERE flash_sale_id = %s ORDER BY id",
                [sale.id],
            )
            slots = cr.fetchall()
            if len(slots) < count:
                new = Slot.create([{"flash_sale_id": sale.id} for _i in range(count - len(slots))])
                slots += [(slot.id, 0) for slot in new]
            share, extra = divmod(sale.quantity_cap - sum(taken for _id, taken in slots), count)
            spare = [
                share + (1 if index < extra else 0) if index < count else 0
                for index in range(len(slots))
            ]
            cr.execute(
                """
                UPDATE fenxiao_flash_sale_slot slot
                   SET quantity_cap = slot.quantity_reserved + new.spare
                  FROM unnest(%s::int[], %s::int[]) AS new(id, spare)
                 WHERE slot.id = new.id
                """,
                [[slot_id for slot_id, _taken in slots], spare],
            )
        self._fenxiao_invalidate_counts()

    def _fenxiao_slot_order(self, slot_ids):
        """The order to try the slots in: random, so that concurrent takers
        mostly pick different rows. The context key ``fenxiao_flash_slot_order``
        ("asc" or "desc", by id) fixes it, for tests that need to know."""
        order = self.env.context.get("fenxiao_flash_slot_order")
        if order in ("asc", "desc"):
            return sorted(slot_ids, reverse=order == "desc")
        slot_ids = list(slot_ids)
        random.shuffle(slot_ids)
        return slot_ids

    def _fenxiao_take_from_slot(self, slot_id, quantity, wait):
        """Add ``quantity`` to one slot if it has them left: True when it did,
        False when it has not, or (unless ``wait``) when another transaction
        holds it now (skipped rather than waited for). Under a savepoint: a
        slot changed by a transaction committed since our snapshot fails to
        serialise, which is raised with the transaction still usable."""
        skip_locked = (
            SQL()
            if wait
            else SQL(
                "AND id = (SELECT id FROM fenxiao_flash_sale_slot"
                " WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED)",
                slot_id,
            )
        )
        cr = self.env.cr
        with cr.savepoint(flush=False):
            cr.execute(
                SQL(
                    """
                    UPDATE fenxiao_flash_sale_slot
                       SET quantity_reserved = quantity_reserved + %(qty)s
                     WHERE id = %(id)s
                       AND quantity_reserved + %(qty)s <= quantity_cap
                       %(skip_locked)s
                 RETURNING id
                    """,
                    qty=quantity,
                    id=slot_id,
                    skip_locked=skip_locked,
                ),
                log_exceptions=False,
            )
            return bool(cr.fetchone())

    def _fenxiao_take(self, quantity):
        """Take ``quantity`` (> 0) units if the sale runs and has them left.
        Returns the units taken from each slot, {slot id: units}, or an empty
        dict (nothing taken) when the sale cannot give them.

        The slots with units left in our snapshot are tried in a random order,
        each in one conditional UPDATE (no read-then-write), as many as
        ``quantity`` needs. A slot another taker holds now is skipped, then
        waited for if the others were not enough; one changed by a taker
        committed since our snapshot fails to serialise and is skipped too.
        All or nothing: when the units cannot all be taken, those taken are
        given back; if some slot was skipped on a conflict, the conflict is
        raised so that Odoo retries the request with a fresh snapshot (the
        slot may have had units left), else the sale is sold out."""
        self.ensure_one()
        if quantity <= 0:
            return {}
        self.flush_recordset(["active", "date_start", "date_end"])
        cr = self.env.cr
        cr.execute(
            """
            SELECT slot.id, slot.quantity_cap - slot.quantity_reserved
              FROM fenxiao_flash_sale_slot slot
              JOIN fenxiao_flash_sale sale ON sale.id = slot.flash_sale_id
             WHERE slot.flash_sale_id = %s
               AND sale.active
               AND now() at time zone 'UTC' BETWEEN sale.date_start AND sale.date_end
               AND slot.quantity_reserved < slot.quantity_cap
            """,
            [self.id],
        )
        left = dict(cr.fetchall())
        if sum(left.values()) < quantity:
            return {}
        taken, busy, conflict = {}, [], None
        for wait, slot_ids in ((False, self._fenxiao_slot_order(left)), (True, busy)):
            for slot_id in slot_ids:
                needed = quantity - sum(taken.values())
                if not needed:
                    break
                units = min(needed, left[slot_id])
                try:
                    if self._fenxiao_take_from_slot(slot_id, units, wait):
                        taken[slot_id] = units
                    elif not wait:
                        busy.append(slot_id)
                except CONFLICTS as error:
                    conflict = error
        if sum(taken.values()) < quantity:
            self._fenxiao_give_back(taken)
            if conflict:
                raise conflict
            return {}
        self._fenxiao_invalidate_counts()
        return taken

    def _fenxiao_give_back(self, slots):
        """Give units back to the slots they were taken from, {slot id: units}
        (never below zero), whether the sale still runs or not: an ended
        sale's count stays the truth of what sold."""
        self.ensure_one()
        slots = {int(slot_id): units for slot_id, units in (slots or {}).items() if units > 0}
        if not slots:
            return
        self.env.cr.execute(
            """
            UPDATE fenxiao_flash_sale_slot slot
               SET quantity_reserved = GREATEST(slot.quantity_reserved - back.qty, 0)
              FROM unnest(%s::int[], %s::int[]) AS back(id, qty)
             WHERE slot.id = back.id AND slot.flash_sale_id = %s
            """,
            [list(slots), list(slots.values()), self.id],
        )
        self._fenxiao_invalidate_counts()

    def _fenxiao_rebuild_counts(self, taken=None):
        """Count each sale's slots and shoppers' units again from its live
        reservations; ``taken`` ({sale id: units}) is a count known otherwise
        (the single counter before the slots), kept when higher than what the
        reservations hold (units taken without a reservation). For the
        migration to slots and for repairs, not while the sale is busy."""
        Slot = self.env["fenxiao.flash.sale.slot"].sudo()
        Reservation = self.env["fenxiao.flash.sale.reservation"].sudo()
        cr = self.env.cr
        taken = taken or {}
        for sale in self:
            cr.execute("DELETE FROM fenxiao_flash_sale_slot WHERE flash_sale_id = %s", [sale.id])
            cr.execute("DELETE FROM fenxiao_flash_sale_shopper WHERE flash_sale_id = %s", [sale.id])
            live = Reservation.search(
                [("flash_sale_id", "=", sale.id), ("state", "in", ("reserved", "sold"))],
                order="id",
            )
            held = sum(live.mapped("quantity"))
            total = max(held, taken.get(sale.id, 0))
            if total > sale.quantity_cap:
                _logger.warning(
                    "Flash sale %s: %s units taken, more than its cap %s: the cap follows.",
                    sale.id,
                    total,
                    sale.quantity_cap,
                )
                # not through write(): the slots are made below
                cr.execute(
                    "UPDATE fenxiao_flash_sale SET quantity_cap = %s WHERE id = %s",
                    [total, sale.id],
                )
                sale.invalidate_recordset(["quantity_cap"])
            count = sale._fenxiao_slot_count()
            # each reservation on one slot, in turn; units without one after
            units = [0] * count
            for index, reservation in enumerate(live):
                units[index % count] += reservation.quantity
            for index in range(total - held):
                units[(len(live) + index) % count] += 1
            slots = Slot.create(
                [
                    {"flash_sale_id": sale.id, "quantity_cap": n, "quantity_reserved": n}
                    for n in units
                ]
            )
            for index, reservation in enumerate(live):
                reservation.slot_quantities = {str(slots[index % count].id): reservation.quantity}
            cr.execute(
                """
                INSERT INTO fenxiao_flash_sale_shopper
                       (flash_sale_id, partner_id, quantity,
                        create_uid, create_date, write_uid, write_date)
                SELECT flash_sale_id, partner_id, SUM(quantity),
                       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                  FROM fenxiao_flash_sale_reservation
                 WHERE flash_sale_id = %(sale)s AND state IN ('reserved', 'sold')
              GROUP BY flash_sale_id, partner_id
                """,
                {"sale": sale.id, "uid": self.env.uid},
            )
        self.env["fenxiao.flash.sale.shopper"].invalidate_model()
        self._fenxiao_resize_slots()

    # ------------------------------------------------------------------
    # The shop
    # ------------------------------------------------------------------
    @api.model
    def _fenxiao_current(self, products, website=None, with_scheduled=False):
        """The flash sale of each product on ``website`` now (running or sold
        out), or the next one when ``with_scheduled``: {product id: sale}.
        ``products``: variants, or templates (the sales of their variants).

        Every shop page asks, for products that are almost never on a flash
        sale: the sales that have not ended are known without a query
        (``_fenxiao_windows``), and only those found are read, as superuser:
        shoppers do not read flash sales themselves; the shop shows them what
        this returns."""
        if not products:
            return {}
        now = fields.Datetime.now()
        key = "product_tmpl_id" if products._name == "product.template" else "product_id"
        wanted = set(products.ids)
        companies = {False, *self.env.companies.ids}
        ids = [
            window.id
            for window in self._fenxiao_windows()
            if getattr(window, key) in wanted
            and window.date_end >= now
            and (with_scheduled or window.date_start <= now)
            and window.company_id in companies
            and (not website or window.website_id in (None, website.id))
        ]
        result = {}
        # the nearest first: a running sale before the next scheduled one
        for sale in self.sudo().browse(ids):
            result.setdefault(sale.product_id.id, sale)
        return result

    @api.model
    @tools.ormcache()
    def _fenxiao_windows(self):
        """The active flash sales that had not ended when this was read, in the
        order they begin: (id, product_id, product_tmpl_id, website_id,
        company_id, date_start, date_end) each. Cached: creating, changing or
        deleting a flash sale clears it (the units taken, written in SQL, are
        not part of it)."""
        self.flush_model(list(SaleWindow._fields[1:]) + ["active"])
        self.env.cr.execute(
            """
            SELECT id, product_id, product_tmpl_id, website_id, company_id, date_start, date_end
              FROM fenxiao_flash_sale
             WHERE active AND date_end >= %s
          ORDER BY date_start, id
            """,
            [fields.Datetime.now()],
        )
        return tuple(SaleWindow(*row) for row in self.env.cr.fetchall())

    def _fenxiao_shop_info(self):
        """What the shop shows of this sale (countdown, bar), as JSON-able data."""
        self.ensure_one()
        return {
            "id": self.id,
            "state": self.state,
            # the countdown counts in UTC, from the server's dates
            "date_start": fields.Datetime.to_string(self.date_start) + "Z",
            "date_end": fields.Datetime.to_string(self.date_end) + "Z",
            "now": fields.Datetime.to_string(fields.Datetime.now()) + "Z",
            "progress": round(self.progress),
            "limit": self.limit_per_shopper,
            "hold_minutes": self.hold_minutes,
        }

    def _fenxiao_price_in(self, currency, company, date=None):
        """The flash price converted into ``currency`` (before taxes)."""
        self.ensure_one()
        return self.currency_id._convert(
            self.price, currency, company, date or fields.Date.context_today(self), round=False
        )
