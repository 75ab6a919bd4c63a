from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
    min_team_sales = fields.Monetary(
        string="Team Sales to Reach",
        help="Distributors whose team has sold this much (confirmed orders, untaxed) move up "
        "to this tier automatically, once a day; nobody is moved down automatically. "
        "Zero: only a manager sets this tier.",
    )

    _sql_constraints = [("name_uniq", "unique(name)", "A tier with this name already exists.")]

    @api.depends_context("company")
    def _compute_currency_id(self):
        self.currency_id = self.env.company.currency_id

    @api.constrains("min_team_sales")
    def _check_min_team_sales(self):
        if any(tier.min_team_sales < 0 for tier in self):
            raise ValidationError(self.env._("Team sales to reach a tier cannot be negative."))

    def _next_tier(self):
        """The first tier above this one that distributors reach by team sales."""
        self.ensure_one()
        return self.search(
            [("sequence", ">", self.sequence), ("min_team_sales", ">", 0)],
            order="sequence, id",
            limit=1,
        )

    def _compute_distributor_count(self):
        counts = dict(
            self.env["fenxiao.distributor"]._read_group(
                [("tier_id", "in", self.ids)], ["tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.distributor_count = counts.get(tier, 0)
