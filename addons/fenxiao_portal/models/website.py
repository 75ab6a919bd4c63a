from odoo import models


class Website(models.Model):
    _inherit = "website"

    def _prepare_sale_order_values(self, partner_sudo):
        # The cart keeps the referral, for binding on the first paid order.
        values = super()._prepare_sale_order_values(partner_sudo)
        code = self.env["ir.http"]._fenxiao_referral_code()
        if code:
            values["fenxiao_referral_code"] = code
        return values
