from odoo import http
from odoo.tests import new_test_user, tagged

from .common import WeChatCase


@tagged("post_install", "-at_install")
class TestWeChatLogin(WeChatCase):
    def _users(self, person):
        unionid = self.simulator.unionid("wxweb000000000001", person)
        return self.env["auth.wechat.identity"].sudo().search([("unionid", "=", unionid)]).user_id

    def test_qr_login_signs_up_then_in(self):
        self.authenticate(None, None)
        response = self._wechat_login("xiaohong")
        self.assertTrue(response.headers["Location"].endswith("/my"))
        user = self._users("xiaohong")
        self.assertEqual(len(user), 1)
        self.assertEqual(user.name, "小红")
        self.assertTrue(user.share, "a portal user")
        self.assertTrue(user.image_1920, "WeChat's avatar")
        identity = user.sudo().wechat_identity_ids
        self.assertEqual(
            (identity.app_kind, identity.openid),
            ("website", self.simulator.openid("wxweb000000000001", "xiaohong")),
        )
        self.assertIn("session_id", response.cookies)
        # again, from another browser: the same account
        self.authenticate(None, None)
        self._wechat_login("xiaohong")
        self.assertEqual(self._users("xiaohong"), user)
        self.assertEqual(self.env["res.users"].search_count([("name", "=", "小红")]), 1)
        self._assert_no_wechat_secret_leaked()

    def test_one_person_across_apps_by_unionid(self):
        self.authenticate(None, None)
        self._wechat_login("xiaohong")
        user = self._users("xiaohong")
        # inside WeChat: the official account, silently (snsapi_base)
        self.authenticate(None, None)
        first = self._open("/auth_wechat/login", headers={"User-Agent": "MicroMessenger"})
        self.assertIn("scope=snsapi_base", first.headers["Location"])
        self._wechat_login("xiaohong", in_wechat=True)
        self.assertEqual(self._users("xiaohong"), user)
        kinds = set(user.sudo().wechat_identity_ids.mapped("app_kind"))
        self.assertEqual(kinds, {"website", "official_account"})
        # and the mini-program
        self.authenticate(None, None)
        code = self.simulator.issue_code("wxmini000000000001", "xiaohong")
        answer = self.make_jsonrpc_request("/auth_wechat/miniprogram/session", {"code": code})
        self.assertEqual(answer, {"uid": user.id, "new_user": False})
        self.assertEqual(len(user.sudo().wechat_identity_ids), 3)

    def test_apps_without_open_platform_match_by_openid(self):
        self.simulator.apps["wxmini000000000001"]["open_platform"] = None
        self.authenticate(None, None)
        code = self.simulator.issue_code("wxmini000000000001", "laowang")
        first = self.make_jsonrpc_request("/auth_wechat/miniprogram/session", {"code": code})
        self.assertTrue(first["new_user"])
        code = self.simulator.issue_code("wxmini000000000001", "laowang")
        again = self.make_jsonrpc_request("/auth_wechat/miniprogram/session", {"code": code})
        self.assertEqual(again, {"uid": first["uid"], "new_user": False})
        identity = self.env["res.users"].browse(first["uid"]).sudo().wechat_identity_ids
        self.assertFalse(identity.unionid)
        self.assertEqual(identity.openid, self.simulator.openid("wxmini000000000001", "laowang"))

    def test_new_shopper_inside_wechat_is_asked_for_a_profile(self):
        self.authenticate(None, None)
        self._wechat_login("laowang", in_wechat=True)
        scopes = [
            request["query"].get("scope")
            for request in self.simulator.received
            if request["path"] == "/connect/oauth2/authorize"
        ]
        self.assertEqual(scopes, ["snsapi_base", "snsapi_userinfo"])
        self.assertEqual(self._users("laowang").name, "老王")

    def test_forged_replayed_and_refused_callbacks(self):
        self.authenticate(None, None)
        code = self.simulator.issue_code("wxweb000000000001", "xiaohong", "snsapi_login")
        forged = self._open(f"/auth_wechat/callback?code={code}&state=forged")
        self.assertEqual(self._reason(forged), "state")
        start = self._open("/auth_wechat/login")
        state = self._callback_params(start.headers["Location"])["state"]
        # WeChat's own refusals: unknown code, then a code used twice
        refused = self._open(f"/auth_wechat/callback?code=nope&state={state}")
        self.assertEqual(self._reason(refused), "wechat-40029")
        replay = self._open(f"/auth_wechat/callback?code=nope&state={state}")
        self.assertEqual(self._reason(replay), "state", "a state works once")
        start = self._open("/auth_wechat/login")
        state = self._callback_params(start.headers["Location"])["state"]
        self.simulator.codes[code]["used"] = True
        used = self._open(f"/auth_wechat/callback?code={code}&state={state}")
        self.assertEqual(self._reason(used), "wechat-40163")
        for bad in ("x" * 5000, ""):
            start = self._open("/auth_wechat/login")
            state = self._callback_params(start.headers["Location"])["state"]
            self.assertEqual(
                self._open(f"/auth_wechat/callback?code={bad}&state={state}").status_code, 200
            )
        self.assertFalse(self._users("xiaohong"), "nobody was created")

    def test_wrong_settings(self):
        self.authenticate(None, None)
        self.params.set_param("auth_wechat.website_secret", "not-the-secret")
        self.assertEqual(self._reason(self._wechat_login("xiaohong")), "wechat-40125")
        self.params.set_param("auth_wechat.website_appid", "")
        self.assertEqual(self._reason(self._open("/auth_wechat/login")), "setup")
        self.authenticate(None, None)
        answer = self.make_jsonrpc_request("/auth_wechat/miniprogram/session", {"code": "bad"})
        self.assertEqual(answer["errcode"], 40029)
        self.simulator.rate_limit_per_minute = 1
        answer = self.make_jsonrpc_request("/auth_wechat/miniprogram/session", {"code": "bad"})
        self.assertEqual(answer["errcode"], 45011)

    def test_link_and_unlink_on_the_account_page(self):
        new_test_user(self.env, "fx_wechat_wang", groups="base.group_portal", name="王芳")
        new_test_user(self.env, "fx_wechat_li", groups="base.group_portal", name="李雷")
        wang = self.env["res.users"].search([("login", "=", "fx_wechat_wang")])
        self.authenticate("fx_wechat_wang", "fx_wechat_wang")
        response = self._wechat_login("xiaohong", url="/auth_wechat/login?link=1")
        self.assertTrue(response.headers["Location"].endswith("/my/security"))
        identity = wang.sudo().wechat_identity_ids
        self.assertEqual(len(identity), 1)
        self.assertIn("o_auth_wechat_accounts", self.url_open("/my/security").text)
        # the same WeChat cannot be linked to someone else
        self.authenticate("fx_wechat_li", "fx_wechat_li")
        refused = self._wechat_login("xiaohong", url="/auth_wechat/login?link=1")
        self.assertEqual(self._reason(refused), "refused")
        # nor unlinked by them
        self.url_open(
            "/auth_wechat/unlink", data={"identity_id": identity.id, "csrf_token": self._csrf()}
        )
        self.assertTrue(identity.exists())
        self.authenticate("fx_wechat_wang", "fx_wechat_wang")
        self.url_open(
            "/auth_wechat/unlink", data={"identity_id": identity.id, "csrf_token": self._csrf()}
        )
        self.assertFalse(identity.exists())

    def _csrf(self):
        return http.Request.csrf_token(self)
