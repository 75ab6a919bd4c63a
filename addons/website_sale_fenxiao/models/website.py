from odoo import api, models


class Website(models.Model):
    _inherit = "website"

    @api.model
    def _get_product_sort_mapping(self):
        return [
            ("fenxiao_sales_90d desc", self.env._("Best Selling")),
            *super()._get_product_sort_mapping(),
        ]

    def _prepare_sale_order_values(self, partner_sudo):
        # The cart keeps the referral, for binding on the first paid order.
        values = super()._prepare_sale_order_values(partner_sudo)
        code = self.env["ir.http"]._fenxiao_referral_code()
        if code:
            values["fenxiao_referral_code"] = code
        return values
