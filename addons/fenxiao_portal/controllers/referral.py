from odoo import http
from odoo.http import request

from odoo.addons.auth_phone_otp.controllers.main import PhoneOtpLogin
from odoo.addons.auth_phone_otp.utils import local_path
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
        landing = local_path(post.get("next")) or "/shop"
        request.env["ir.http"]._fenxiao_capture_referral(code[:64], landing_path=landing)
        return request.redirect(landing)


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
