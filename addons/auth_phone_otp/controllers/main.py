import logging

from odoo import http
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

from odoo.addons.auth_signup.models.res_users import SignupError
from odoo.addons.web.controllers.utils import _get_login_redirect_url

from ..utils import local_path

_logger = logging.getLogger(__name__)


class PhoneOtpLogin(http.Controller):
    """Sign in (and up) with a mainland mobile number and an SMS code.

    ``/web/login/phone/send`` (JSON) sends a code; ``/web/login/phone`` shows
    the form and, posted, checks the code, creates the account on first
    sign-in and opens the session with a one-time token (as auth_oauth does).
    """

    _send_url = "/web/login/phone/send"
    _login_url = "/web/login/phone"

    def _phone_signup_context(self):
        """Context for creating an account: modules add what sign-up needs
        (the suite adds the shopper's referral)."""
        return {}

    @http.route(_send_url, type="json", auth="public", website=True, methods=["POST"])
    def phone_login_send(self, phone=None, **kw):
        ip_address = request.httprequest.remote_addr
        try:
            # a refused send leaves no code behind
            with request.env.cr.savepoint():
                phone = request.env["auth.phone.otp.code"].sudo()._send_code(phone, ip_address)
        except UserError as error:
            return {"error": str(error.args[0])}
        resend = request.env["auth.phone.otp.code"].sudo()._limit("resend_seconds")
        return {"phone": phone, "resend_in": resend}

    @http.route(
        _login_url,
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET", "POST"],
    )
    def phone_login(self, phone="", code="", redirect="", **kw):
        values = {
            "phone": phone if isinstance(phone, str) else "",
            "redirect": local_path(redirect) or "",
            "send_url": self._send_url,
        }
        if request.httprequest.method == "POST":
            try:
                return self._phone_login_submit(phone, code, values["redirect"])
            except UserError as error:
                values["error"] = error.args[0]
            except SignupError:
                values["error"] = request.env._(
                    "No account uses this number, and this website does not let visitors sign up."
                )
            except AccessDenied:
                values["error"] = request.env._("The sign-in expired: ask for a new code.")
        response = request.render("auth_phone_otp.login_phone", values)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def _phone_login_submit(self, phone, code, redirect):
        Code = request.env["auth.phone.otp.code"].sudo()
        try:
            phone, token = Code._verify_code(phone, code)
        finally:
            # the attempt counts, whatever the answer
            request.env.cr.commit()
        user = (
            request.env["res.users"]
            .with_context(**self._phone_signup_context())
            ._phone_otp_find_or_signup(phone)
        )
        # authenticate() runs in its own transaction: let it see the user and token
        request.env.cr.commit()
        credential = {"login": user.login, "token": token, "type": "phone_otp"}
        auth_info = request.session.authenticate(request.db, credential)
        url = _get_login_redirect_url(auth_info["uid"], redirect or "/my")
        return request.redirect(url, 303)
