from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import float_round

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
    ("disqualified", "Distributor disqualified"),
]
# who reads the ledger in the back office (ir.model.access.csv)
BACK_OFFICE = "fenxiao.group_fenxiao_user,account.group_account_readonly"


class FenxiaoCommissionLine(models.Model):
    """The commission ledger: one line per order line and level.

    Append-only. A cancellation, credit note, refund or return adds a negative
    line that points to the line it reverses; amounts are never edited. Only
    the lifecycle moves on (frozen → available → settled), by the release and
    settlement runs, each one SQL statement for the whole set.

    Earning, reversing and releasing happen here (``_earn``, ``_reverse``,
    ``_cron_release``); orders, payments, credit notes and returns only
    trigger them. Settling is the settlement's (fenxiao.commission.settlement).
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
    # The order and its customer are the back office's: their names say more
    # (context flags add the customer, their address and e-mail) than the
    # distributor centre, which shows a portal distributor their own lines
    # with the order's reference only.
    # Empty on reward lines only (fenxiao_reward): a reward has no order.
    order_id = fields.Many2one(
        "sale.order",
        readonly=True,
        index=True,
        ondelete="restrict",
        groups=BACK_OFFICE,
    )
    order_line_id = fields.Many2one(
        "sale.order.line",
        readonly=True,
        index=True,
        ondelete="restrict",
        groups=BACK_OFFICE,
    )
    customer_id = fields.Many2one("res.partner", readonly=True, groups=BACK_OFFICE)
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
        [("commission", "Commission"), ("reversal", "Reversal"), ("reward", "Reward")],
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
    # Not a state: a held line still goes frozen → available, it only waits
    # out of settlement until a manager lifts the hold (fenxiao_commission_hold.py).
    held = fields.Boolean(
        string="Under Review",
        readonly=True,
        help="Held for review (suspected brushing): left out of settlement until a "
        "Distribution Administrator lifts the hold.",
    )

    _sql_constraints = [
        (
            "commission_once",
            "EXCLUDE (order_line_id WITH =, level WITH =) WHERE (kind = 'commission')",
            "An order line earns commission once per level.",
        ),
        (
            "sign",
            "CHECK ((kind = 'commission' AND amount >= 0 AND order_line_id IS NOT NULL) "
            "OR (kind = 'reversal' AND amount <= 0 AND reversed_line_id IS NOT NULL) "
            "OR (kind = 'reward' AND amount > 0))",
            "Commission is positive and earned on an order line; a reversal is negative and "
            "points to what it reverses; a reward is positive.",
        ),
    ]

    @api.depends("order_id")
    def _compute_display_name(self):
        # the order's reference, as the distributor centre names a line; read
        # as superuser since a portal distributor does not read order_id
        for line, sudo_line in zip(self, self.sudo(), strict=True):
            line.display_name = sudo_line.order_id.name or sudo_line.origin or ""

    def init(self):
        # The release and settlement runs select open lines by state and
        # company; settled lines, the bulk of the ledger, stay out of it.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS fenxiao_commission_line_open_idx "
            "ON fenxiao_commission_line (state, company_id, available_date) "
            "WHERE state != 'settled'"
        )

    # ------------------------------------------------------------------
    # Earn: one line per goods line and level when an order is paid
    # ------------------------------------------------------------------
    @api.model
    def _earn(self, orders):
        """Record the commission of ``orders``, which have just been paid.

        For each goods line, the base is what the customer really paid for it
        (see ``_commission_bases``); each distributor of the order's chain
        earns what the most specific rule for their level, tier and product
        pays on it. The ledger's exclusion constraint refuses a second
        commission for the same order line and level.
        """
        rules_by_key = {}
        vals_list = []
        for order in orders.sudo():
            company = order.company_id
            currency = company.currency_id
            paid_date = order.fenxiao_paid_date
            key = (company, paid_date.date())
            if key not in rules_by_key:
                rules_by_key[key] = self.env["fenxiao.commission.rule"].sudo()._rules_for(*key)
            rules = rules_by_key[key]
            chain = self._commission_chain(order)
            if not chain or not rules:
                continue
            for line, base in self._commission_bases(order).items():
                base = order.currency_id._convert(base, currency, company, paid_date.date())
                for level, distributor in chain:
                    rule = rules._match(level, distributor.tier_id, line.product_id)
                    if not rule:
                        continue
                    amount = rule._commission_amount(base, line.product_uom_qty, currency)
                    if currency.is_zero(amount):
                        continue
                    vals_list.append(
                        {
                            "company_id": company.id,
                            "currency_id": currency.id,
                            "date": paid_date,
                            "distributor_id": distributor.id,
                            "partner_id": distributor.partner_id.id,
                            "level": level,
                            "order_id": order.id,
                            "order_line_id": line.id,
                            "customer_id": order.partner_id.id,
                            "product_id": line.product_id.id,
                            "quantity": line.product_uom_qty,
                            "rule_id": rule.id,
                            "amount_type": rule.amount_type,
                            "rate": rule.rate if rule.amount_type == "percent" else 0.0,
                            "fixed_amount": rule.fixed_amount
                            if rule.amount_type == "fixed"
                            else 0.0,
                            "base_amount": base,
                            "amount": amount,
                        }
                    )
        return self.sudo().create(vals_list)

    @api.model
    def _commission_chain(self, order):
        """[(level, distributor)] who earn on ``order``, nearest first.

        The level is the distance from the sale: 1 for the distributor
        credited with the order, 2 for their upline, up to the company's
        compliance cap.
        """
        company = order.company_id
        credited = order.fenxiao_distributor_id
        buyer = order.partner_id.commercial_partner_id
        chain = credited._get_chain() if credited else credited
        # own purchase: bought by the distributor's commercial entity (their
        # delivery address, their company), not only by their own contact
        own = credited.partner_id.commercial_partner_id == buyer
        if own and not company.fenxiao_commission_self_purchase:
            chain = chain[1:]
        levels = company.fenxiao_max_levels
        if company.fenxiao_commission_inactive_upline == "compress":
            chain = chain.filtered(lambda distributor: distributor.state == "active")
            return list(enumerate(chain[:levels], start=1))
        return [
            (level, distributor)
            for level, distributor in enumerate(chain[:levels], start=1)
            if distributor.state == "active"
        ]

    @api.model
    def _goods_lines(self, order):
        """The lines that sell goods: no shipping, rewards, down payments or notes,
        and no stored value (gift cards, eWallet top-ups).

        Money put on a gift card or an eWallet earns when it is spent on goods:
        the order paid with the card earns on its goods in full (its payment
        line is not a discount, see ``_commission_bases``). Earning on the
        sale of the card as well would pay twice on the same money, and on
        money that may be refunded unspent.
        """
        goods = order.order_line.filtered(
            lambda line: not line.display_type
            and line.product_id
            and not line.is_downpayment
            and not line.is_reward_line
            and not line._is_delivery()
            and line.product_uom_qty > 0
        )
        stored_value = goods.product_id._fenxiao_stored_value_products()
        return goods.filtered(lambda line: line.product_id not in stored_value)

    @api.model
    def _commission_bases(self, order):
        """{sale.order.line: base}: what the customer really paid for each goods line.

        Discounts, promotions and coupons (reward lines) are spread over the
        goods they apply to in proportion to their amounts, by largest
        remainder so that the bases add up to the fen. Free shipping, gift cards
        and eWallet are not discounts on the goods.
        """
        currency = order.currency_id
        included = order.company_id.fenxiao_commission_base_tax == "included"

        def amount(line):
            return line.price_total if included else line.price_subtotal

        goods = self._goods_lines(order)
        bases = {line: amount(line) for line in goods}
        for reward_line in order.order_line.filtered("is_reward_line"):
            reward = reward_line.reward_id
            discount = amount(reward_line)
            if (
                currency.is_zero(discount)
                or discount > 0
                or reward.reward_type == "shipping"
                or reward.program_id.program_type in ("gift_card", "ewallet")
            ):
                continue
            targets = goods
            if reward.reward_type == "discount" and reward.discount_applicability == "specific":
                domain = reward._get_discount_product_domain()
                targets = goods.filtered(
                    lambda line, domain=domain: line.product_id.filtered_domain(domain)
                )
            self._spread(bases, targets, discount, currency)
        return {line: max(base, 0.0) for line, base in bases.items()}

    @staticmethod
    def _spread(bases, targets, amount, currency):
        """Add ``amount`` to ``bases`` of ``targets`` in proportion, to the unit."""
        weights = {line: bases[line] for line in targets if bases[line] > 0}
        total = sum(weights.values())
        if not weights or currency.is_zero(total):
            return
        precision = currency.rounding
        units = round(amount / precision)
        shares = {line: units * weight / total for line, weight in weights.items()}
        floors = {line: int(share // 1) for line, share in shares.items()}
        remainder = units - sum(floors.values())
        # hand out what rounding down left, to the largest remainders first
        for line in sorted(shares, key=lambda line: floors[line] - shares[line])[:remainder]:
            floors[line] += 1
        for line, share_units in floors.items():
            bases[line] = float_round(
                bases[line] + share_units * precision, precision_rounding=precision
            )

    @api.model
    def _grant_reward(self, distributor, amount, origin, date=None):
        """A reward line of ``amount`` (company currency) for ``distributor``.

        A reward has no order and so no after-sales window: it is available
        at once and the next settlement pays it with the commission.
        ``origin`` names the reward (rule and period).
        """
        company = distributor.company_id
        currency = company.currency_id
        amount = currency.round(amount)
        if currency.compare_amounts(amount, 0.0) <= 0:
            return self.browse()
        return self.sudo().create(
            {
                "company_id": company.id,
                "currency_id": currency.id,
                "date": date or fields.Datetime.now(),
                "distributor_id": distributor.id,
                "partner_id": distributor.partner_id.id,
                "level": 0,
                "amount": amount,
                "kind": "reward",
                "origin": origin,
                "state": "available",
                "available_date": fields.Date.context_today(self),
            }
        )

    # ------------------------------------------------------------------
    # Reverse: negative lines for what the customer was given back
    # ------------------------------------------------------------------
    @api.model
    def _reverse(self, orders, cause, origin=None):
        """Reverse the commission of ``orders`` in proportion to what was given back.

        For each order line the share given back is the largest of what was
        cancelled, credited, refunded or returned (``_given_back_ratios``),
        so a return and its credit note are not counted twice. Each commission
        line is reversed up to that share of its amount, by new negative lines
        for the difference: running this again changes nothing.
        """
        originals = orders.sudo().fenxiao_commission_line_ids.filtered(
            lambda line: line.kind == "commission"
        )
        if not originals:
            return self.browse()
        ratios = self._given_back_ratios(originals.order_line_id)
        return originals._reverse_to(
            {line: ratios.get(line.order_line_id, 0.0) for line in originals}, cause, origin
        )

    def _reverse_lines(self, cause, origin=None):
        """Reverse the commission lines of ``self`` in full (what is left of them)."""
        return self._reverse_to({line: 1.0 for line in self}, cause, origin)

    def _reverse_to(self, ratios, cause, origin=None):
        """Negative lines bringing each commission line of ``self`` down to
        ``ratios[line]`` of its amount reversed: running it again changes nothing."""
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        vals_list = []
        for line in self.sudo().filtered(lambda line: line.kind == "commission"):
            currency = line.currency_id
            target = currency.round(line.amount * ratios.get(line, 0.0))
            done = -sum(line.reversal_ids.mapped("amount"))
            delta = currency.round(target - done)
            if currency.compare_amounts(delta, 0.0) <= 0:
                continue
            frozen = line.state == "frozen"
            vals_list.append(
                {
                    "company_id": line.company_id.id,
                    "currency_id": currency.id,
                    "date": now,
                    "distributor_id": line.distributor_id.id,
                    "partner_id": line.partner_id.id,
                    "level": line.level,
                    "order_id": line.order_id.id,
                    "order_line_id": line.order_line_id.id,
                    "customer_id": line.customer_id.id,
                    "product_id": line.product_id.id,
                    "rule_id": line.rule_id.id,
                    "amount_type": line.amount_type,
                    "rate": line.rate,
                    "fixed_amount": line.fixed_amount,
                    "base_amount": -currency.round(line.base_amount * delta / line.amount),
                    "amount": -delta,
                    "kind": "reversal",
                    "reversed_line_id": line.id,
                    "reversal_cause": cause,
                    "origin": origin,
                    # a held line's reversal waits with it, so the two settle together
                    "held": line.held,
                    # reversing a frozen line nets it before release; anything
                    # later is clawed back by the next settlement
                    "state": "frozen" if frozen else "available",
                    "available_date": False if frozen else today,
                }
            )
        return self.sudo().create(vals_list)

    @api.model
    def _given_back_ratios(self, order_lines):
        """{sale.order.line: share of the line given back to the customer, 0..1}.

        The largest of: cancelled (all of it), credited by posted credit notes,
        refunded through the payment provider (spread over the whole order)
        and returned to stock.
        """
        ratios = {}
        for line in order_lines:
            order = line.order_id
            if order.state == "cancel":
                ratios[line] = 1.0
                continue
            shares = [0.0]
            if line.price_subtotal:
                credited = sum(
                    invoice_line.price_subtotal
                    for invoice_line in line.invoice_lines
                    if invoice_line.move_id.state == "posted"
                    and invoice_line.move_id.move_type == "out_refund"
                )
                shares.append(credited / line.price_subtotal)
            if order.amount_total:
                refunded = sum(
                    -tx.amount
                    for tx in order.transaction_ids.child_transaction_ids
                    if tx.operation == "refund" and tx.state == "done"
                )
                shares.append(refunded / order.amount_total)
            if line.product_uom_qty:
                _outgoing, incoming = line._get_outgoing_incoming_moves()
                returned = sum(
                    move.product_uom._compute_quantity(move.quantity, line.product_uom)
                    for move in incoming
                    if move.state == "done"
                )
                shares.append(returned / line.product_uom_qty)
            ratios[line] = min(max(shares), 1.0)
        return ratios

    # ------------------------------------------------------------------
    # Release: frozen → available once the after-sales window has passed
    # ------------------------------------------------------------------
    @api.model
    def _cron_release(self):
        today = fields.Date.context_today(self)
        frozen = self.sudo().search([("state", "=", "frozen")])
        releasable = set(self._releasable_orders(frozen.order_id, today).ids)
        frozen.filtered(lambda line: line.order_id.id in releasable)._sql_release(today)

    @api.model
    def _releasable_orders(self, orders, today):
        """The ``orders`` whose after-sales window has passed on ``today``.

        The window starts at the last delivery (as ``stock.picking``'s
        ``_fenxiao_after_sales_start`` says: shipped, or received where the
        parcel is tracked), or at payment for orders without anything to ship;
        cancelled orders have nothing left to wait for.
        """
        deliveries = orders.picking_ids.filtered(
            lambda picking: picking.picking_type_code == "outgoing" and picking.state != "cancel"
        )
        starts = deliveries._fenxiao_after_sales_start()
        releasable = []
        for order in orders:
            if order.state == "cancel":
                releasable.append(order.id)
                continue
            pickings = order.picking_ids & deliveries
            if any(picking.state != "done" or not starts[picking] for picking in pickings):
                continue
            delivered = max(
                (starts[picking] for picking in pickings), default=order.fenxiao_paid_date
            )
            if not delivered:
                continue
            days = order.company_id.fenxiao_commission_freeze_days
            if delivered.date() + timedelta(days=days) <= today:
                releasable.append(order.id)
        return orders.browse(releasable)

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
