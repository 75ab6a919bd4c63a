from odoo import models


class LoyaltyRule(models.Model):
    # The shop's promotion badges are cached (website._fenxiao_badge_products):
    # any change of a promotion works them out again.
    _name = "loyalty.rule"
    _inherit = ["loyalty.rule", "fenxiao.registry.cache.mixin"]

    def _fenxiao_write_clears_cache(self, vals):
        return True
