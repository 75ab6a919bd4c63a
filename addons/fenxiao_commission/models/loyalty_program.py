from odoo import api, models


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    # A program's type decides whether its products sell stored value
    # (product.product._fenxiao_stored_value_product_ids, cached).
    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if "program_type" in vals or "rule_ids" in vals:
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
