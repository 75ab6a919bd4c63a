from odoo import models


class ProductCategory(models.Model):
    _inherit = "product.category"

    def unlink(self):
        # the category's commission rules go with it (ondelete cascade): out
        # of fenxiao.commission.rule's cached rules too
        self.env.registry.clear_cache()
        return super().unlink()
