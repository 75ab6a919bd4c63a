from odoo import api, fields, models


class FenxiaoReward(models.Model):
    """A reward granted: once per rule, distributor and period.

    An amount is paid through the commission ledger (a line of kind
    'reward', available at once, settled with the commission); points go on
    the distributor's card of the rule's loyalty program.
    """

    _name = "fenxiao.reward"
    _description = "Granted Reward"
    _order = "date_from desc, rule_id, rank, id"
    _rec_name = "rule_id"

    rule_id = fields.Many2one(
        "fenxiao.reward.rule", required=True, readonly=True, ondelete="restrict"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    distributor_id = fields.Many2one(
        "fenxiao.distributor", required=True, readonly=True, index=True, ondelete="restrict"
    )
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="Until", required=True, readonly=True)
    rank = fields.Integer(readonly=True)
    value = fields.Float(string="Figure", readonly=True, help="The distributor's period figure.")
    reward_type = fields.Selection(related="rule_id.reward_type")
    amount = fields.Monetary(readonly=True)
    points = fields.Float(readonly=True)
    commission_line_id = fields.Many2one(
        "fenxiao.commission.line", string="Ledger Line", readonly=True, ondelete="restrict"
    )
    loyalty_card_id = fields.Many2one("loyalty.card", readonly=True, ondelete="restrict")
    gift_order_id = fields.Many2one("sale.order", readonly=True, ondelete="restrict")
    state = fields.Selection(
        [("granted", "Granted"), ("settled", "Settled")],
        compute="_compute_state",
        help="Granted: in the ledger (or on the loyalty card); settled: in a commission "
        "settlement's journal entry.",
    )

    _sql_constraints = [
        (
            "once_per_period",
            "unique(rule_id, distributor_id, date_from)",
            "A rule rewards a distributor once per period.",
        ),
    ]

    @api.depends("commission_line_id.state")
    def _compute_state(self):
        for reward in self:
            settled = reward.commission_line_id.state == "settled"
            reward.state = "settled" if settled else "granted"

    @api.model
    def _fenxiao_create_granted(self, candidate):
        """Record ``candidate`` (from ``_fenxiao_candidates``) and pay it."""
        rule = candidate["rule"]
        distributor = candidate["distributor"]
        reward = self.sudo().create(
            {
                "rule_id": rule.id,
                "company_id": rule.company_id.id,
                "distributor_id": distributor.id,
                "date_from": candidate["date_from"],
                "date_to": candidate["date_to"],
                "rank": candidate["rank"],
                "value": candidate["value"],
                "amount": candidate["amount"],
                "points": candidate["points"],
            }
        )
        origin = self.env._(
            "Reward %(rule)s, %(date_from)s – %(date_to)s",
            rule=rule.name,
            date_from=fields.Date.to_string(candidate["date_from"]),
            date_to=fields.Date.to_string(candidate["date_to"]),
        )
        if rule.reward_type == "points":
            reward.loyalty_card_id = reward._fenxiao_add_points(origin)
        elif rule.reward_type == "gift":
            reward.gift_order_id = reward._fenxiao_send_gift(origin)
        else:
            reward.commission_line_id = self.env["fenxiao.commission.line"]._grant_reward(
                distributor, candidate["amount"], origin
            )
        return reward

    def _fenxiao_send_gift(self, origin):
        """Send the rule's gift: a confirmed order at price 0 for the
        distributor, so the warehouse ships it like any order. Nothing is
        paid, so it earns nobody commission."""
        self.ensure_one()
        rule = self.rule_id
        partner = self.distributor_id.partner_id
        order = (
            self.env["sale.order"]
            .sudo()
            .with_company(rule.company_id)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": rule.company_id.id,
                    "origin": origin,
                    "order_line": [
                        fields.Command.create(
                            {
                                "product_id": rule.gift_product_id.id,
                                "product_uom_qty": rule.gift_quantity,
                                "price_unit": 0.0,
                                "tax_id": [fields.Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        return order

    def _fenxiao_add_points(self, origin):
        """Add the points on the distributor's card of the rule's program
        (created when they have none), with a line in the card's history."""
        self.ensure_one()
        program = self.rule_id.loyalty_program_id
        partner = self.distributor_id.partner_id
        Card = self.env["loyalty.card"].sudo()
        card = Card.search(
            [("program_id", "=", program.id), ("partner_id", "=", partner.id)], limit=1
        )
        if not card:
            card = Card.create({"program_id": program.id, "partner_id": partner.id, "points": 0})
        # one statement: two grants at once cannot lose each other's points
        card.flush_recordset(["points"])
        self.env.cr.execute(
            "UPDATE loyalty_card SET points = points + %s WHERE id = %s", [self.points, card.id]
        )
        card.invalidate_recordset(["points"])
        self.env["loyalty.history"].sudo().create(
            {"card_id": card.id, "description": origin, "issued": self.points}
        )
        return card
