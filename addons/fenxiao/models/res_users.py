from odoo import api, models
from odoo.exceptions import UserError


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

    @api.model
    def _fenxiao_check_manager(self, message=None):
        """Raise ``message`` unless the current user is a Distribution Administrator.

        The superuser (data loading, scheduled actions, sudo()) passes as well.
        """
        if not (self.env.su or self.env.user.has_group("fenxiao.group_fenxiao_manager")):
            raise UserError(message or self.env._("Only a Distribution Administrator can do this."))
