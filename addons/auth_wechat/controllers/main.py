import logging
import secrets
import time

from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessDenied, UserError, ValidationError
from odoo.http import request

from odoo.addons.auth_phone_otp.utils import local_path
from odoo.addons.auth_signup.models.res_users import SignupError
from odoo.addons.web.controllers.utils import _get_login_redirect_url

from ..const import (
    MAX_PENDING_STATES,
    SCOPE_BASE,
    SCOPE_QR,
    SCOPE_USERINFO,
    STATE_MINUTES,
    WECHAT_BROWSER_MARK,
)
from ..models.wechat_client import WeChatError

_logger = logging.getLogger(__name__)
SESSION_KEY = "auth_wechat_states"


class WeChatLoginController(http.Controller):
    """Sign in with WeChat: the website QR code on a desktop, the official
    account's web authorisation inside WeChat, and the mini-program's code.

    The ``state`` of each authorisation is random, kept in the session and
    accepted once; WeChat's access token stays on the server.
    """

    _callback_url = "/auth_wechat/callback"

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _wechat_signup_context(self):
        """Context for creating an account: modules add what sign-up needs
        (the suite adds the shopper's referral)."""
        return {}

    def _error(self, message, reason):
        """The problem in words, and as ``reason`` (state, declined, wechat,
        signup, setup, denied, link) for scripts and tests."""
        return request.render("auth_wechat.wechat_error", {"error": message, "reason": reason})

    def _new_state(self, app_kind, scope, redirect, link_uid=None):
        now = int(time.time())
        states = {
            key: value
            for key, value in (request.session.get(SESSION_KEY) or {}).items()
            if now - value["t"] < STATE_MINUTES * 60
        }
        # a few sign-ins started in other tabs, not an ever-growing session
        for key in sorted(states, key=lambda k: states[k]["t"])[: -MAX_PENDING_STATES + 1]:
            states.pop(key)
        state = secrets.token_urlsafe(24)
        states[state] = {"k": app_kind, "s": scope, "r": redirect, "l": link_uid, "t": now}
        request.session[SESSION_KEY] = states
        return state

    def _pop_state(self, state):
        states = dict(request.session.get(SESSION_KEY) or {})
        value = states.pop(state, None) if isinstance(state, str) else None
        request.session[SESSION_KEY] = states
        if not value or int(time.time()) - value["t"] >= STATE_MINUTES * 60:
            return None
        return value

    def _authorize(self, app_kind, scope, redirect, link_uid=None):
        appid, client = request.env["auth.wechat.identity"].sudo()._client(app_kind)
        callback = request.httprequest.url_root.rstrip("/") + self._callback_url
        state = self._new_state(app_kind, scope, redirect, link_uid)
        if app_kind == "website":
            url = client.website_qr_url(callback, state)
        else:
            url = client.oauth_url(callback, state, scope)
        return request.redirect(url, local=False)

    def _sign_in(self, user, identity, redirect):
        token = identity._issue_login_token()
        # authenticate() runs in its own transaction: let it see the token
        request.env.cr.commit()
        credential = {"login": user.login, "token": token, "type": "wechat"}
        auth_info = request.session.authenticate(request.db, credential)
        return auth_info["uid"], _get_login_redirect_url(auth_info["uid"], redirect or "/my")

    # ------------------------------------------------------------------
    # Website QR code and official account
    # ------------------------------------------------------------------
    @http.route("/auth_wechat/login", type="http", auth="public", website=True, sitemap=False)
    def wechat_login(self, redirect="", link=None, **kw):
        redirect = local_path(redirect) or ""
        Identity = request.env["auth.wechat.identity"].sudo()
        in_wechat = WECHAT_BROWSER_MARK in (request.httprequest.user_agent.string or "")
        link_uid = None
        if link:
            if request.env.user._is_public():
                return request.redirect("/web/login?" + url_encode({"redirect": "/my/security"}))
            link_uid = request.env.uid
            redirect = "/my/security"
        try:
            if in_wechat and Identity._is_configured("official_account"):
                # silently first: a known shopper is not asked anything
                scope = SCOPE_USERINFO if link_uid else SCOPE_BASE
                return self._authorize("official_account", scope, redirect, link_uid)
            return self._authorize("website", SCOPE_QR, redirect, link_uid)
        except UserError as error:
            return self._error(error.args[0], "setup")

    @http.route(_callback_url, type="http", auth="public", website=True, sitemap=False)
    def wechat_callback(self, code="", state="", **kw):
        pending = self._pop_state(state)
        if not pending:
            return self._error(
                request.env._("This WeChat sign-in expired or was not started here: try again."),
                "state",
            )
        if not code or not isinstance(code, str) or len(code) > 256:
            # the person declined on WeChat's page
            return self._error(request.env._("WeChat did not confirm the sign-in."), "declined")
        app_kind, scope, redirect = pending["k"], pending["s"], pending["r"]
        Identity = request.env["auth.wechat.identity"].sudo()
        try:
            appid, client = Identity._client(app_kind)
            account = client.exchange_code(code)
            if pending["l"]:
                return self._link(pending["l"], app_kind, appid, account)
            identity = Identity._find(appid, account["openid"], account.get("unionid"))
            if identity:
                user = identity.user_id
                if identity.appid != appid:
                    # the same person through another app of the open platform
                    identity = user._wechat_link(app_kind, appid, account, identity.nickname)
            elif scope == SCOPE_BASE:
                # a new shopper inside WeChat: ask for the profile this time
                return self._authorize("official_account", SCOPE_USERINFO, redirect)
            else:
                profile = client.user_info(account["access_token"], account["openid"])
                user = (
                    request.env["res.users"]
                    .with_context(**self._wechat_signup_context())
                    ._wechat_signup(app_kind, appid, account, profile)
                )
                identity = Identity._find(appid, account["openid"], account.get("unionid"))
            _uid, url = self._sign_in(user, identity, redirect)
            return request.redirect(url, 303)
        except WeChatError as error:
            _logger.info("WeChat sign-in refused: %s %s", error.errcode, error.errmsg)
            return self._error(
                request.env._(
                    "WeChat refused the sign-in (%(code)s): try again.", code=error.errcode
                ),
                f"wechat-{error.errcode}",
            )
        except SignupError:
            return self._error(
                request.env._(
                    "No account uses this WeChat, and this website does not let visitors sign up."
                ),
                "signup",
            )
        except (UserError, ValidationError) as error:
            return self._error(error.args[0], "refused")
        except AccessDenied:
            return self._error(request.env._("This account cannot sign in."), "denied")

    def _link(self, uid, app_kind, appid, account):
        if request.env.uid != uid:
            return self._error(
                request.env._("Sign in again to link WeChat to your account."), "link"
            )
        request.env.user.sudo()._wechat_link(app_kind, appid, account)
        return request.redirect("/my/security")

    @http.route("/auth_wechat/unlink", type="http", auth="user", website=True, methods=["POST"])
    def wechat_unlink(self, identity_id="", **kw):
        try:
            identity_id = int(identity_id)
        except (TypeError, ValueError):
            identity_id = 0
        # only one's own: someone else's id is simply not found
        identity = request.env.user.sudo().wechat_identity_ids.filtered(
            lambda i: i.id == identity_id
        )
        identity.unlink()
        return request.redirect("/my/security")

    # ------------------------------------------------------------------
    # Mini-program
    # ------------------------------------------------------------------
    @http.route("/auth_wechat/miniprogram/session", type="json", auth="public", methods=["POST"])
    def wechat_miniprogram_session(self, code=None, **kw):
        """wx.login()'s code → an Odoo session for the mini-program.

        Answers {"uid", "new_user"} with the session in the response's
        ``session_id`` cookie (the mini-program keeps it and sends it back in
        its requests' Cookie header), or {"error"}.
        """
        if not code or not isinstance(code, str) or len(code) > 256:
            return {"error": request.env._("A wx.login code is required.")}
        Identity = request.env["auth.wechat.identity"].sudo()
        try:
            appid, client = Identity._client("miniprogram")
            account = client.code_to_session(code)
            identity = Identity._find(appid, account["openid"], account.get("unionid"))
            new_user = not identity
            if identity:
                user = identity.user_id
                if identity.appid != appid:
                    identity = user._wechat_link("miniprogram", appid, account, identity.nickname)
            else:
                user = (
                    request.env["res.users"]
                    .with_context(**self._wechat_signup_context())
                    ._wechat_signup("miniprogram", appid, account)
                )
                identity = Identity._find(appid, account["openid"], account.get("unionid"))
            uid, _url = self._sign_in(user, identity, "")
        except WeChatError as error:
            return {"error": f"{error.errcode}: {error.errmsg}", "errcode": error.errcode}
        except SignupError:
            return {"error": request.env._("This shop does not let visitors sign up.")}
        except (UserError, ValidationError, AccessDenied) as error:
            return {"error": str(error.args[0] if error.args else error)}
        return {"uid": uid, "new_user": new_user}
