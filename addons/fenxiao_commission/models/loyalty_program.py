from odoo import models


class LoyaltyProgram(models.Model):
    # A program's type decides whether its products sell stored value
    # (product.product._fenxiao_stored_value_product_ids, cached).
    _name = "loyalty.program"
    _inherit = ["loyalty.program", "fenxiao.registry.cache.mixin"]

    def _fenxiao_write_clears_cache(self, vals):
        cached = {"program_type", "rule_ids"}
        return bool(cached & vals.keys()) or super()._fenxiao_write_clears_cache(vals)
