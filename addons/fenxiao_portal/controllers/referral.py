from werkzeug.urls import url_parse

from odoo import http
from odoo.http import request

from odoo.addons.auth_phone_otp.controllers.main import PhoneOtpLogin
from odoo.addons.auth_signup.controllers.main import AuthSignupHome
from odoo.addons.auth_wechat.controllers.main import WeChatLoginController
from odoo.addons.link_tracker.controller.main import LinkTracker


class FenxiaoReferral(LinkTracker):
    """``/r/<code>``: Odoo's tracked short links, and distributors' invite links.

    A link tracker code keeps its meaning; any other code is taken as a
    referral: remembered (valid or not, the shopper lands in the shop), then
    the shop or the local page given as ``next`` opens.
    """

    @http.route()
    def full_url_redirect(self, code, **post):
        if request.env["link.tracker"].get_url_from_code(code):
            return super().full_url_redirect(code, **post)
        request.env["ir.http"]._fenxiao_capture_referral(code[:64])
        return request.redirect(self._local_path(post.get("next")) or "/shop")

    @staticmethod
    def _local_path(url):
        """``url`` if it is a path on this website, else None (no open redirect)."""
        if not url or not isinstance(url, str) or len(url) > 2048:
            return None
        parsed = url_parse(url)
        if parsed.scheme or parsed.netloc or not url.startswith("/") or url.startswith("//"):
            return None
        return url


class FenxiaoAuthSignupHome(AuthSignupHome):
    def _signup_with_values(self, token, values):
        # Bound at sign-up (or enrolled) according to the network settings.
        code = request.env["ir.http"]._fenxiao_referral_code()
        if code:
            request.update_context(fenxiao_referral_code=code)
        return super()._signup_with_values(token, values)


class FenxiaoPhoneOtpLogin(PhoneOtpLogin):
    def _phone_signup_context(self):
        # A first sign-in by SMS code is a sign-up: bound the same way.
        context = super()._phone_signup_context()
        code = request.env["ir.http"]._fenxiao_referral_code()
        if code:
            context["fenxiao_referral_code"] = code
        return context


class FenxiaoWeChatLogin(WeChatLoginController):
    def _wechat_signup_context(self):
        # A first sign-in with WeChat is a sign-up: bound the same way.
        context = super()._wechat_signup_context()
        code = request.env["ir.http"]._fenxiao_referral_code()
        if code:
            context["fenxiao_referral_code"] = code
        return context
