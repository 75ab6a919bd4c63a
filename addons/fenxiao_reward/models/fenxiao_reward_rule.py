from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.fenxiao.tools.compliance import is_recruit_metric
from odoo.addons.fenxiao_ranking.models.fenxiao_distributor import MONEY_METRICS

REWARD_METRICS = [
    ("sales", "Sales"),
    ("team_sales", "Team sales"),
    ("new_customers", "New paying customers"),
]
# every distributor with a figure, for targets (the board returns the top N)
ALL_RANKS = 1_000_000


class FenxiaoRewardRule(models.Model):
    """What a distributor earns for a period's rank or for reaching a target.

    The figures are the leaderboards' (fenxiao_ranking): sales, team sales or
    new paying customers over a week or a month, in the company's time zone.
    """

    _name = "fenxiao.reward.rule"
    _description = "Reward Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    trigger = fields.Selection(
        [("rank", "Rank on the leaderboard"), ("target", "Target reached")],
        required=True,
        default="rank",
    )
    metric = fields.Selection(REWARD_METRICS, required=True, default="sales")
    period_kind = fields.Selection(
        [("week", "Week"), ("month", "Month")], string="Period", required=True, default="month"
    )
    rank_to = fields.Integer(
        string="Ranks 1 to",
        default=1,
        help="The distributors ranked 1 to this number on the period's leaderboard are rewarded.",
    )
    threshold = fields.Float(
        help="The period figure to reach: an amount in the company currency (sales, team "
        "sales) or a number of new paying customers."
    )
    reward_type = fields.Selection(
        [
            ("amount", "Fixed amount"),
            ("rate", "Rate of the period figure"),
            ("points", "Loyalty points"),
            ("gift", "Gift product"),
        ],
        required=True,
        default="amount",
    )
    amount = fields.Monetary()
    rate = fields.Float(string="Rate (%)", digits=(16, 2))
    points = fields.Float()
    loyalty_program_id = fields.Many2one(
        "loyalty.program",
        help="The points go on the distributor's card of this program.",
    )
    gift_product_id = fields.Many2one(
        "product.product",
        string="Gift",
        domain=[("type", "=", "consu")],
        help="Sent free of charge to the distributor: an order at price 0, delivered from stock.",
    )
    gift_quantity = fields.Integer(default=1)
    reward_ids = fields.One2many("fenxiao.reward", "rule_id", string="Granted Rewards")

    @api.model
    def _fenxiao_check_metric(self, metric):
        if is_recruit_metric(metric):
            raise ValidationError(
                self.env._(
                    "A reward cannot depend on the number of distributors recruited. Paying "
                    "people by how many others they bring in (计酬 by head count) is pyramid "
                    "selling under the Regulations on Prohibition of Pyramid Selling "
                    "(《禁止传销条例》, 2005, article 7(1)). Reward sales of goods or paying "
                    "customers instead."
                )
            )
        if metric and metric not in dict(REWARD_METRICS):
            raise ValidationError(self.env._("“%s” is not a reward metric.", metric))

    @api.model_create_multi
    def create(self, vals_list):
        # before the ORM: it would only say the value is not in the list
        for vals in vals_list:
            self._fenxiao_check_metric(vals.get("metric"))
        return super().create(vals_list)

    def write(self, vals):
        if "metric" in vals:
            self._fenxiao_check_metric(vals["metric"])
        return super().write(vals)

    @api.constrains(
        "metric",
        "trigger",
        "rank_to",
        "threshold",
        "reward_type",
        "amount",
        "rate",
        "points",
        "gift_product_id",
        "gift_quantity",
    )
    def _check_rule(self):
        for rule in self:
            self._fenxiao_check_metric(rule.metric)
            if rule.trigger == "rank" and rule.rank_to < 1:
                raise ValidationError(self.env._("Reward at least the first rank."))
            if rule.trigger == "target" and rule.threshold <= 0:
                raise ValidationError(self.env._("A target must be above zero."))
            if rule.reward_type == "amount" and rule.amount <= 0:
                raise ValidationError(self.env._("A reward amount must be above zero."))
            if rule.reward_type == "rate":
                if not 0 < rule.rate <= 100:
                    raise ValidationError(self.env._("A reward rate is above 0% and at most 100%."))
                if rule.metric not in MONEY_METRICS:
                    raise ValidationError(
                        self.env._("A rate applies to sales or team sales, not to a head count.")
                    )
            if rule.reward_type == "gift" and (not rule.gift_product_id or rule.gift_quantity < 1):
                raise ValidationError(self.env._("Choose the gift and how many to send."))
            if rule.reward_type == "points":
                if rule.points <= 0:
                    raise ValidationError(self.env._("Reward points must be above zero."))
                if not rule.loyalty_program_id:
                    raise ValidationError(
                        self.env._("Choose the loyalty program that receives the points.")
                    )

    # ------------------------------------------------------------------
    # Who earns what
    # ------------------------------------------------------------------
    def _fenxiao_candidates(self, day):
        """[{rule, distributor, date_from, date_to, rank, value, amount, points}]:
        what ``self`` grant for the period (of each rule's kind) containing
        ``day``. Writes nothing. One leaderboard statement per rule."""
        Distributor = self.env["fenxiao.distributor"].sudo()
        candidates = []
        for rule in self:
            currency = rule.company_id.currency_id
            limit = rule.rank_to if rule.trigger == "rank" else ALL_RANKS
            board = Distributor._fenxiao_leaderboard(
                rule.company_id, rule.metric, rule.period_kind, day, limit=limit
            )
            for row in board["rows"]:
                value = row["value"]
                if rule.trigger == "target" and value < rule.threshold:
                    continue
                amount = points = 0.0
                if rule.reward_type == "amount":
                    amount = rule.amount
                elif rule.reward_type == "rate":
                    amount = currency.round(value * rule.rate / 100.0)
                elif rule.reward_type == "points":
                    points = rule.points
                if rule.reward_type in ("amount", "rate") and (
                    currency.compare_amounts(amount, 0.0) <= 0
                ):
                    continue
                candidates.append(
                    {
                        "rule": rule,
                        "distributor": row["distributor"],
                        "date_from": board["date_from"],
                        "date_to": board["date_to"],
                        "rank": row["rank"],
                        "value": value,
                        "amount": amount,
                        "points": points,
                    }
                )
        return candidates

    def _fenxiao_grant(self, day):
        """Grant what ``self`` give for the period containing ``day``.

        Once per rule, distributor and period: the rule's row is locked, the
        rewards already granted are skipped and the unique constraint
        refuses a second one. Returns the new fenxiao.reward records.
        """
        Reward = self.env["fenxiao.reward"].sudo()
        granted = Reward.browse()
        for rule in self:
            # Updating the row (not just locking it) makes a concurrent grant
            # fail on serialisation and be retried, and the retry then finds
            # the rewards granted (as settlements do).
            self.env.cr.execute(
                "UPDATE fenxiao_reward_rule SET write_date = write_date WHERE id = %s", [rule.id]
            )
            candidates = rule._fenxiao_candidates(day)
            if not candidates:
                continue
            done = set(
                Reward.search(
                    [("rule_id", "=", rule.id), ("date_from", "=", candidates[0]["date_from"])]
                ).distributor_id.ids
            )
            for candidate in candidates:
                if candidate["distributor"].id in done:
                    continue
                granted |= Reward._fenxiao_create_granted(candidate)
        return granted

    @api.model
    def _cron_grant(self):
        """Grant the rewards of the periods that have ended: the last complete
        week and month of each company. Running it again changes nothing."""
        for rule in self.sudo().search([]):
            today = rule.company_id._fenxiao_today()
            Distributor = self.env["fenxiao.distributor"]
            first, _last, _start, _end = Distributor._fenxiao_ranking_period(
                rule.company_id, rule.period_kind, today
            )
            previous = fields.Date.subtract(first, days=1)
            rule._fenxiao_grant(previous)
