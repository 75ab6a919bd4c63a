from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        """A new portal user (phone sign-up, WeChat sign-in, the signup form)
        is a new shopper: their partner receives the welcome coupon."""
        users = super().create(vals_list)
        shoppers = users.filtered(lambda user: user._is_portal())
        if shoppers:
            self.env["loyalty.card"]._fenxiao_give_welcome_coupon(shoppers.partner_id)
        return users
