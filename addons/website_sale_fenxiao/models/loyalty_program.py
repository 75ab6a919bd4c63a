from odoo import api, models


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    # The shop's promotion badges are cached (website._fenxiao_badge_products):
    # any change of a promotion works them out again.
    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
