from odoo import api, models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @api.model
    def _get_translation_frontend_modules_name(self):
        # the countdown's words, translated in the shop's pages
        return [*super()._get_translation_frontend_modules_name(), "fenxiao_flash_sale"]
