from odoo import api, models


class LoyaltyRule(models.Model):
    _inherit = "loyalty.rule"

    # The rules' products are those that sell stored value in a gift card or
    # eWallet program (product.product._fenxiao_stored_value_product_ids, cached).
    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if "product_ids" in vals or "program_id" in vals:
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
