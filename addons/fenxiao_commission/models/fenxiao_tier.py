from odoo import models


class FenxiaoTier(models.Model):
    _inherit = "fenxiao.tier"

    def unlink(self):
        # the tier's commission rules go with it (ondelete cascade): out of
        # fenxiao.commission.rule's cached rules too
        self.env.registry.clear_cache()
        return super().unlink()
