from collections import namedtuple

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.osv import expression

SaleWindow = namedtuple(
    "SaleWindow",
    "id product_id product_tmpl_id website_id company_id date_start date_end",
)


class FenxiaoFlashSale(models.Model):
    """限时秒杀: one product at a price between two moments, for at most
    ``quantity_cap`` units and ``limit_per_shopper`` units a shopper.

    ``quantity_reserved`` counts the units in carts and on paid orders. Only
    ``_fenxiao_take`` and ``_fenxiao_give_back`` change it, each in one
    conditional UPDATE, and a CHECK constraint keeps it within the cap: the
    database, not a read in Python, decides who gets the last unit.
    """

    _name = "fenxiao.flash.sale"
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
    # Written only by the conditional UPDATEs below: never in a create/write.
    quantity_reserved = fields.Integer(
        string="Units Taken",
        readonly=True,
        copy=False,
        default=0,
        help="Units in carts waiting for payment plus units sold.",
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
        # the guard of the cap, whatever the code above it does
        (
            "reserved_within_cap",
            "CHECK(quantity_reserved >= 0 AND quantity_reserved <= quantity_cap)",
            "The units on sale cannot be fewer than the units already taken.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
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
        vals.pop("quantity_reserved", None)  # only the conditional UPDATEs write it
        result = super().write(vals)
        self.env.registry.clear_cache()  # _fenxiao_windows
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("quantity_reserved", None)
        sales = super().create(vals_list)
        self.env.registry.clear_cache()  # _fenxiao_windows
        return sales

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _fenxiao_windows
        return result

    # ------------------------------------------------------------------
    # The cap: taking and giving back units, each in one statement
    # ------------------------------------------------------------------
    def _fenxiao_take(self, quantity):
        """Take ``quantity`` units if the sale runs and has them left.

        One conditional statement decides, no read-then-write: when another
        transaction took units of this sale meanwhile, PostgreSQL refuses our
        UPDATE with a serialisation failure (REPEATABLE READ) and Odoo retries
        the request, which then sees the new count. Returns whether the units
        were taken."""
        self.ensure_one()
        if quantity <= 0:
            return True
        self.env.cr.execute(
            """
            UPDATE fenxiao_flash_sale
               SET quantity_reserved = quantity_reserved + %(qty)s
             WHERE id = %(id)s
               AND active
               AND now() at time zone 'UTC' BETWEEN date_start AND date_end
               AND quantity_reserved + %(qty)s <= quantity_cap
         RETURNING id
            """,
            {"qty": quantity, "id": self.id},
        )
        taken = bool(self.env.cr.fetchone())
        self.invalidate_recordset(["quantity_reserved"])
        return taken

    def _fenxiao_give_back(self, quantity):
        """Give ``quantity`` units back to the sale (never below zero), whether it
        still runs or not: an ended sale's counter stays the truth of what sold."""
        self.ensure_one()
        if quantity <= 0:
            return
        self.env.cr.execute(
            """
            UPDATE fenxiao_flash_sale
               SET quantity_reserved = GREATEST(quantity_reserved - %(qty)s, 0)
             WHERE id = %(id)s
            """,
            {"qty": quantity, "id": self.id},
        )
        self.invalidate_recordset(["quantity_reserved"])

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
