from odoo import api, fields, models

LINE_STATES = [
    ("frozen", "Frozen"),
    ("available", "Available"),
    ("settled", "Settled"),
]
REVERSAL_CAUSES = [
    ("cancel", "Order cancelled"),
    ("credit_note", "Credit note"),
    ("refund", "Refund"),
    ("return", "Return"),
]


class FenxiaoCommissionLine(models.Model):
    """The commission ledger: one line per order line and level.

    Append-only. A cancellation, credit note, refund or return adds a negative
    line that points to the line it reverses; amounts are never edited. Only
    the lifecycle moves on (frozen → available → settled), by the release and
    settlement runs, each one SQL statement for the whole set.
    """

    _name = "fenxiao.commission.line"
    _description = "Commission Line"
    _inherit = ["fenxiao.append.only.mixin"]
    _order = "date desc, id desc"
    _rec_name = "order_id"

    # Few indexes: settling rewrites every settled row's index entries. The
    # open lines are found through fenxiao_commission_line_open_idx (init).
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    distributor_id = fields.Many2one(
        "fenxiao.distributor", required=True, readonly=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Distributor Contact",
        required=True,
        readonly=True,
        help="The payable partner in the accounting.",
    )
    level = fields.Integer(readonly=True, required=True)
    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, index=True, ondelete="restrict"
    )
    order_line_id = fields.Many2one(
        "sale.order.line", required=True, readonly=True, index=True, ondelete="restrict"
    )
    customer_id = fields.Many2one("res.partner", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    rule_id = fields.Many2one("fenxiao.commission.rule", readonly=True, ondelete="set null")
    amount_type = fields.Selection(
        [("percent", "Percentage"), ("fixed", "Per unit")], string="Type", readonly=True
    )
    rate = fields.Float(string="Rate (%)", readonly=True, digits=(16, 2))
    fixed_amount = fields.Monetary(string="Per Unit", readonly=True)
    base_amount = fields.Monetary(
        string="Base",
        readonly=True,
        help="What the customer paid for the goods of this line, after discounts and coupons, "
        "without shipping.",
    )
    amount = fields.Monetary(string="Commission", readonly=True)
    kind = fields.Selection(
        [("commission", "Commission"), ("reversal", "Reversal")],
        required=True,
        readonly=True,
        default="commission",
    )
    reversed_line_id = fields.Many2one(
        "fenxiao.commission.line", readonly=True, index="btree_not_null", ondelete="restrict"
    )
    reversal_ids = fields.One2many("fenxiao.commission.line", "reversed_line_id", readonly=True)
    reversal_cause = fields.Selection(REVERSAL_CAUSES, readonly=True)
    origin = fields.Char(readonly=True, help="The document that caused a reversal.")
    state = fields.Selection(LINE_STATES, required=True, readonly=True, default="frozen")
    available_date = fields.Date(readonly=True)
    settlement_id = fields.Many2one(
        "fenxiao.commission.settlement", readonly=True, index="btree_not_null", ondelete="restrict"
    )

    _sql_constraints = [
        (
            "commission_once",
            "EXCLUDE (order_line_id WITH =, level WITH =) WHERE (kind = 'commission')",
            "An order line earns commission once per level.",
        ),
        (
            "sign",
            "CHECK ((kind = 'commission' AND amount >= 0) OR (kind = 'reversal' AND amount <= 0 "
            "AND reversed_line_id IS NOT NULL))",
            "Commission is positive; a reversal is negative and points to what it reverses.",
        ),
    ]

    def init(self):
        # The release and settlement runs select open lines by state and
        # company; settled lines, the bulk of the ledger, stay out of it.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS fenxiao_commission_line_open_idx "
            "ON fenxiao_commission_line (state, company_id, available_date) "
            "WHERE state != 'settled'"
        )

    def _sql_release(self, day):
        """Frozen → available on ``day``, for the whole set in one statement."""
        if not self:
            return
        self.flush_recordset(["state", "available_date"])
        self.env.cr.execute(
            """
            UPDATE fenxiao_commission_line
               SET state = 'available', available_date = %s,
                   write_uid = %s, write_date = now() at time zone 'UTC'
             WHERE id = ANY(%s) AND state = 'frozen'
            """,
            [day, self.env.uid, self.ids],
        )
        self.invalidate_recordset(["state", "available_date"])

    # ------------------------------------------------------------------
    # Release: frozen → available once the after-sales window has passed
    # ------------------------------------------------------------------
    @api.model
    def _cron_release(self):
        today = fields.Date.context_today(self)
        frozen = self.sudo().search([("state", "=", "frozen")])
        releasable = set(frozen.order_id._fenxiao_releasable_orders(today).ids)
        frozen.filtered(lambda line: line.order_id.id in releasable)._sql_release(today)
