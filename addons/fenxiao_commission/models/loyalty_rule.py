from odoo import models


class LoyaltyRule(models.Model):
    # The rules' products are those that sell stored value in a gift card or
    # eWallet program (product.product._fenxiao_stored_value_product_ids, cached).
    _name = "loyalty.rule"
    _inherit = ["loyalty.rule", "fenxiao.registry.cache.mixin"]

    def _fenxiao_write_clears_cache(self, vals):
        cached = {"product_ids", "program_id"}
        return bool(cached & vals.keys()) or super()._fenxiao_write_clears_cache(vals)
