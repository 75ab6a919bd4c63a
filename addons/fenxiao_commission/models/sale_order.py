from datetime import timedelta

from odoo import fields, models
from odoo.tools import float_round


class SaleOrder(models.Model):
    _inherit = "sale.order"

    fenxiao_paid_date = fields.Datetime(
        string="Paid On",
        copy=False,
        readonly=True,
        help="When the order was fully paid and its commission recorded.",
    )
    fenxiao_commission_line_ids = fields.One2many(
        "fenxiao.commission.line", "order_id", string="Commission", readonly=True
    )
    fenxiao_commission_total = fields.Monetary(
        string="Commission Total", compute="_compute_fenxiao_commission_total"
    )

    def _compute_fenxiao_commission_total(self):
        totals = dict(
            self.env["fenxiao.commission.line"]
            .sudo()
            ._read_group([("order_id", "in", self.ids)], ["order_id"], ["amount:sum"])
        )
        for order in self:
            order.fenxiao_commission_total = totals.get(order, 0.0)

    # ------------------------------------------------------------------
    # Paid
    # ------------------------------------------------------------------
    def _action_confirm(self):
        result = super()._action_confirm()
        # An order paid online before it was confirmed (the website's flow).
        self._fenxiao_check_paid()
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self._fenxiao_sync_reversals("cancel")
        return result

    def _fenxiao_is_fully_paid(self):
        """Paid by done payment transactions or by paid customer invoices."""
        self.ensure_one()
        if self.currency_id.compare_amounts(self.amount_paid, self.amount_total) >= 0:
            return True
        invoices = self.invoice_ids.filtered(
            lambda move: move.state == "posted" and move.move_type == "out_invoice"
        )
        if not invoices:
            return False
        paid = sum(invoices.mapped("amount_total")) - sum(invoices.mapped("amount_residual"))
        return self.currency_id.compare_amounts(paid, self.amount_total) >= 0

    def _fenxiao_check_paid(self):
        """Record commission for the orders of ``self`` that are now fully paid.

        Idempotent: the paid date is set by one conditional UPDATE, so of two
        notifications of the same payment (even concurrent ones: the second
        waits for the first's row lock) only one records commission; a unique
        exclusion on the ledger guards it again.
        """
        candidates = self.filtered(
            lambda order: order.state == "sale"
            and not order.fenxiao_paid_date
            and order.fenxiao_distributor_id
        )
        paid = candidates.filtered(lambda order: order._fenxiao_is_fully_paid())
        if not paid:
            return self.browse()
        paid.flush_recordset(["fenxiao_paid_date"])
        self.env.cr.execute(
            "UPDATE sale_order SET fenxiao_paid_date = now() at time zone 'UTC' "
            "WHERE id = ANY(%s) AND fenxiao_paid_date IS NULL RETURNING id",
            [paid.ids],
        )
        newly_paid = self.browse(row[0] for row in self.env.cr.fetchall())
        newly_paid.invalidate_recordset(["fenxiao_paid_date"])
        newly_paid._fenxiao_create_commission()
        # A credit note posted before the payment was complete gives part back
        # already (and may be what settled the invoice).
        newly_paid.filtered(
            lambda order: any(
                move.move_type == "out_refund" and move.state == "posted"
                for move in order.invoice_ids
            )
        )._fenxiao_sync_reversals("credit_note")
        return newly_paid

    # ------------------------------------------------------------------
    # Commission
    # ------------------------------------------------------------------
    def _fenxiao_goods_lines(self):
        """The lines that sell goods: no shipping, rewards, down payments or notes."""
        return self.order_line.filtered(
            lambda line: not line.display_type
            and line.product_id
            and not line.is_downpayment
            and not line.is_reward_line
            and not line._is_delivery()
            and line.product_uom_qty > 0
        )

    def _fenxiao_commission_bases(self):
        """{sale.order.line: base}: what the customer really paid for each goods line.

        Discounts, promotions and coupons (reward lines) are spread over the
        goods they apply to in proportion to their amounts, by largest
        remainder so that the bases add up to the fen. Free shipping, gift cards
        and eWallet are not discounts on the goods.
        """
        self.ensure_one()
        currency = self.currency_id
        included = self.company_id.fenxiao_commission_base_tax == "included"

        def amount(line):
            return line.price_total if included else line.price_subtotal

        goods = self._fenxiao_goods_lines()
        bases = {line: amount(line) for line in goods}
        for reward_line in self.order_line.filtered("is_reward_line"):
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
            self._fenxiao_spread(bases, targets, discount, currency)
        return {line: max(base, 0.0) for line, base in bases.items()}

    @staticmethod
    def _fenxiao_spread(bases, targets, amount, currency):
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

    def _fenxiao_commission_chain(self):
        """[(level, distributor)] who earn on this order, nearest first."""
        self.ensure_one()
        company = self.company_id
        credited = self.fenxiao_distributor_id
        buyer = self.partner_id.commercial_partner_id
        chain = credited | credited._get_uplines()
        if credited.partner_id == buyer and not company.fenxiao_commission_self_purchase:
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

    def _fenxiao_create_commission(self):
        Line = self.env["fenxiao.commission.line"].sudo()
        rules_by_key = {}
        vals_list = []
        for order in self.sudo():
            company = order.company_id
            currency = company.currency_id
            paid_date = order.fenxiao_paid_date
            key = (company, paid_date.date())
            if key not in rules_by_key:
                rules_by_key[key] = self.env["fenxiao.commission.rule"].sudo()._rules_for(*key)
            rules = rules_by_key[key]
            chain = order._fenxiao_commission_chain()
            if not chain or not rules:
                continue
            bases = order._fenxiao_commission_bases()
            for line, base in bases.items():
                base = order.currency_id._convert(base, currency, company, paid_date.date())
                for level, distributor in chain:
                    rule = rules._match(level, distributor.tier_id, line.product_id)
                    if not rule:
                        continue
                    if rule.amount_type == "percent":
                        amount = currency.round(base * rule.rate / 100.0)
                    else:
                        amount = currency.round(rule.fixed_amount * line.product_uom_qty)
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
        return Line.create(vals_list)

    # ------------------------------------------------------------------
    # Reversals
    # ------------------------------------------------------------------
    def _fenxiao_sync_reversals(self, cause, origin=None):
        """Reverse commission in proportion to what was given back.

        For each order line the share given back is the largest of what was
        cancelled, credited, refunded or returned, so a return and its credit
        note are not counted twice. Each commission line is reversed up to that
        share of its amount, by new negative lines for the difference: running
        this again changes nothing.
        """
        lines = self.sudo().fenxiao_commission_line_ids
        originals = lines.filtered(lambda line: line.kind == "commission")
        if not originals:
            return self.env["fenxiao.commission.line"]
        ratios = originals.order_line_id._fenxiao_given_back_ratio()
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        vals_list = []
        for line in originals:
            currency = line.currency_id
            target = currency.round(line.amount * ratios.get(line.order_line_id, 0.0))
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
                    # reversing a frozen line nets it before release; anything
                    # later is clawed back by the next settlement
                    "state": "frozen" if frozen else "available",
                    "available_date": False if frozen else today,
                }
            )
        return self.env["fenxiao.commission.line"].sudo().create(vals_list)

    # ------------------------------------------------------------------
    # Release
    # ------------------------------------------------------------------
    def _fenxiao_releasable_orders(self, today):
        """Orders whose after-sales window has passed on ``today``.

        The window starts at the last delivery, or at payment for orders
        without anything to ship; cancelled orders have nothing left to wait for.
        """
        releasable = []
        for order in self:
            if order.state == "cancel":
                releasable.append(order.id)
                continue
            pickings = order.picking_ids.filtered(
                lambda picking: picking.picking_type_code == "outgoing"
                and picking.state != "cancel"
            )
            if any(picking.state != "done" for picking in pickings):
                continue
            delivered = max(pickings.mapped("date_done"), default=order.fenxiao_paid_date)
            if not delivered:
                continue
            days = order.company_id.fenxiao_commission_freeze_days
            if delivered.date() + timedelta(days=days) <= today:
                releasable.append(order.id)
        return self.browse(releasable)
