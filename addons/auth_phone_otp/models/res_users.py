from odoo import api, fields, models
from odoo.exceptions import AccessDenied, ValidationError

from ..utils import normalize_mainland_phone


class ResUsers(models.Model):
    _inherit = "res.users"

    login_phone = fields.Char(
        string="Sign-in Mobile",
        copy=False,
        index=True,
        help="Mainland mobile number (+86…) this user signs in with by SMS code; one account "
        "per number.",
    )

    _sql_constraints = [
        (
            "login_phone_uniq",
            "unique(login_phone)",
            "This mobile number already signs in to another account.",
        )
    ]

    @api.constrains("login_phone")
    def _check_login_phone(self):
        for user in self.filtered("login_phone"):
            if normalize_mainland_phone(user.login_phone) != user.login_phone:
                raise ValidationError(
                    self.env._(
                        "A sign-in mobile is written +86 and 11 digits, e.g. +8613812345678."
                    )
                )

    def _prepare_login_phone(self, phone):
        """The number normalised, after checking no other account signs in
        with it: the unique index is the guard, this is the message a person
        reads (the index would refuse the write before any constraint)."""
        phone = normalize_mainland_phone(phone) or phone
        taken = (
            self.sudo()
            .with_context(active_test=False)
            .search([("login_phone", "=", phone), ("id", "not in", self.ids)], limit=1)
        )
        if taken:
            raise ValidationError(
                self.env._("%(phone)s already signs in to another account.", phone=phone)
            )
        return phone

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("login_phone"):
                vals["login_phone"] = self.browse()._prepare_login_phone(vals["login_phone"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("login_phone"):
            vals = dict(vals, login_phone=self._prepare_login_phone(vals["login_phone"]))
        return super().write(vals)

    @api.model
    def _phone_otp_find_or_signup(self, phone):
        """The active user signing in with ``phone``, created as a portal user
        (the signup template) on first sign-in when the website lets anyone
        sign up. Raises SignupError when it does not."""
        user = (
            self.sudo()
            .with_context(active_test=True)
            .search([("login_phone", "=", phone)], limit=1)
        )
        if user:
            return user
        values = {
            "login": phone,
            "name": self.env._("User %(last_digits)s", last_digits=phone[-4:]),
            "login_phone": phone,
            "mobile": phone,
        }
        return self.sudo()._signup_create_user(values)

    def _check_credentials(self, credential, env):
        try:
            return super()._check_credentials(credential, env)
        except AccessDenied:
            if credential.get("type") != "phone_otp" or not env.get("interactive", True):
                raise
            user = self.env.user
            if user.active and self.env["auth.phone.otp.code"].sudo()._consume_login_token(
                user, credential.get("token")
            ):
                return {"uid": user.id, "auth_method": "phone_otp", "mfa": "default"}
            raise
