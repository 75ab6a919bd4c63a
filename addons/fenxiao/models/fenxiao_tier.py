from odoo import fields, models


class FenxiaoTier(models.Model):
    _name = "fenxiao.tier"
    _description = "Distributor Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Lower tiers first.")
    description = fields.Html(string="Benefits", translate=True)
    active = fields.Boolean(default=True)
    distributor_count = fields.Integer(compute="_compute_distributor_count")

    _sql_constraints = [("name_uniq", "unique(name)", "A tier with this name already exists.")]

    def _compute_distributor_count(self):
        counts = dict(
            self.env["fenxiao.distributor"]._read_group(
                [("tier_id", "in", self.ids)], ["tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.distributor_count = counts.get(tier, 0)
