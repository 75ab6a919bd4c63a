from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _signup_create_user(self, values):
        """Bind a new shopper to their referrer and maybe enrol them (company settings).

        The website passes the referral it captured as ``fenxiao_referral_code``
        in the context.
        """
        user = super()._signup_create_user(values)
        partner = user.partner_id.sudo()
        code = self.env.context.get("fenxiao_referral_code")
        if code:
            partner._fenxiao_bind_by_code(code, "signup")
        partner._fenxiao_onboard("signup")
        return user
