from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.compliance import is_recruit_metric

# What a tier condition may measure: sales of goods and customers who pay,
# never people recruited.
METRICS = [
    ("own_purchases", "Own purchases"),
    ("personal_sales", "Personal sales"),
    ("team_sales", "Team sales"),
    ("paying_customers", "Paying customers"),
    ("courses", "Courses completed"),
]
AMOUNT_METRICS = ("own_purchases", "personal_sales", "team_sales")


class FenxiaoTier(models.Model):
    _name = "fenxiao.tier"
    _description = "Distributor Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Lower tiers first.")
    description = fields.Html(string="Benefits", translate=True)
    active = fields.Boolean(default=True)
    distributor_count = fields.Integer(compute="_compute_distributor_count")
    # Tiers carry no company: thresholds read in the company's currency (CNY).
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    condition_ids = fields.One2many("fenxiao.tier.condition", "tier_id", string="Conditions")
    condition_logic = fields.Selection(
        [("all", "All conditions"), ("any", "Any condition")],
        string="Reached When",
        default="all",
        required=True,
    )
    min_team_sales = fields.Monetary(
        string="Team Sales to Reach",
        help="Kept for tiers made before conditions: a tier without conditions and with this "
        "amount is reached by all-time team sales (confirmed orders, untaxed). "
        "A tier without conditions and without this amount is set by a manager only.",
    )

    rules_text = fields.Char(
        string="Reached By",
        compute="_compute_rules_text",
        help="The tier's conditions as the daily run reads them.",
    )

    _sql_constraints = [("name_uniq", "unique(name)", "A tier with this name already exists.")]

    @api.depends_context("company")
    def _compute_currency_id(self):
        self.currency_id = self.env.company.currency_id

    @api.constrains("min_team_sales")
    def _check_min_team_sales(self):
        if any(tier.min_team_sales < 0 for tier in self):
            raise ValidationError(self.env._("Team sales to reach a tier cannot be negative."))

    @api.depends(
        "condition_ids.metric",
        "condition_ids.threshold",
        "condition_ids.period_days",
        "condition_logic",
        "min_team_sales",
    )
    @api.depends_context("lang", "company")
    def _compute_rules_text(self):
        Condition = self.env["fenxiao.tier.condition"]
        for tier in self:
            rules = tier._fenxiao_rules()
            if not rules:
                tier.rules_text = self.env._("Set by a manager")
                continue
            separator = self.env._(" and ") if tier.condition_logic == "all" else self.env._(" or ")
            tier.rules_text = separator.join(
                Condition._fenxiao_sentence(rule["metric"], rule["threshold"], rule["period_days"])
                for rule in rules
            )

    def _fenxiao_rules(self):
        """The conditions of this tier as plain dicts (metric, threshold,
        period_days, condition record or None); empty for a manual tier.

        A tier made before conditions existed, with only ``min_team_sales``,
        reads as one all-time team sales condition.
        """
        self.ensure_one()
        if self.condition_ids:
            return [
                {
                    "metric": condition.metric,
                    "threshold": condition.threshold,
                    "period_days": condition.period_days,
                }
                for condition in self.condition_ids
            ]
        if self.min_team_sales > 0:
            return [{"metric": "team_sales", "threshold": self.min_team_sales, "period_days": 0}]
        return []

    def _fenxiao_is_automatic(self):
        self.ensure_one()
        return bool(self._fenxiao_rules())

    def _next_tier(self):
        """The first tier above this one that distributors reach by its conditions."""
        self.ensure_one()
        above = self.search([("sequence", ">", self.sequence)], order="sequence, id")
        return next((tier for tier in above if tier._fenxiao_is_automatic()), self.browse())

    def _compute_distributor_count(self):
        counts = dict(
            self.env["fenxiao.distributor"]._read_group(
                [("tier_id", "in", self.ids)], ["tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.distributor_count = counts.get(tier, 0)

    def action_preview_changes(self):
        return self.env["fenxiao.tier.preview"].action_open()


class FenxiaoTierCondition(models.Model):
    """One condition of a tier: a metric over a period reaching a threshold."""

    _name = "fenxiao.tier.condition"
    _description = "Tier Condition"
    _order = "tier_id, sequence, id"

    tier_id = fields.Many2one("fenxiao.tier", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    metric = fields.Selection(METRICS, required=True, default="team_sales")
    threshold = fields.Float(
        required=True,
        help="An amount in the company currency (purchases, sales), or a number "
        "(customers, courses).",
    )
    period_days = fields.Integer(
        string="Period (days)",
        default=0,
        help="Orders of the last so many days count; 0 counts all time.",
    )
    name = fields.Char(compute="_compute_name", string="Condition")

    @api.depends("metric", "threshold", "period_days")
    @api.depends_context("lang", "company")
    def _compute_name(self):
        for condition in self:
            condition.name = self._fenxiao_sentence(
                condition.metric, condition.threshold, condition.period_days
            )

    @api.model
    def _fenxiao_format_value(self, metric, value):
        if metric in AMOUNT_METRICS:
            return self.env.company.currency_id.format(value or 0.0)
        return str(int(value or 0))

    @api.model
    def _fenxiao_sentence(self, metric, threshold, period_days, value=None):
        """团队销售额 ≥ ¥50,000.00 / 近 90 天, with the figure reached when ``value`` is given."""
        labels = dict(self._fields["metric"]._description_selection(self.env))
        label = labels.get(metric, metric or "")
        period = self.env._("last %s days", period_days) if period_days else self.env._("all time")
        sentence = f"{label} ≥ {self._fenxiao_format_value(metric, threshold)} / {period}"
        if value is None:
            return sentence
        met = value >= threshold
        return self.env._(
            "%(condition)s: %(value)s %(verdict)s",
            condition=sentence,
            value=self._fenxiao_format_value(metric, value),
            verdict=self.env._("met") if met else self.env._("not met"),
        )

    @api.model
    def _fenxiao_check_metric(self, metric):
        if is_recruit_metric(metric):
            raise ValidationError(
                self.env._(
                    "A tier cannot depend on the number of distributors recruited. Paying or "
                    "ranking people by how many others they bring in (计酬 by head count) is "
                    "pyramid selling under the Regulations on Prohibition of Pyramid Selling "
                    "(《禁止传销条例》, 2005, article 7(1)). Use sales of goods or paying "
                    "customers instead."
                )
            )
        if metric and metric not in dict(METRICS):
            raise ValidationError(self.env._("“%s” is not a tier metric.", metric))

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

    @api.constrains("metric", "threshold", "period_days")
    def _check_condition(self):
        for condition in self:
            self._fenxiao_check_metric(condition.metric)
            if condition.threshold <= 0:
                raise ValidationError(self.env._("A condition's threshold must be above zero."))
            if condition.period_days < 0:
                raise ValidationError(self.env._("A period cannot be negative."))
