from urllib.parse import parse_qs, urlsplit

from odoo.tests import BaseCase, tagged

from ..models.wechat_client import WeChatError, WeChatLogin
from .wechat_simulator import WeChatSimulator


@tagged("post_install", "-at_install")
class TestWeChatClient(BaseCase):
    """The wechatpy-based client against the simulator, without a database."""

    def setUp(self):
        super().setUp()
        self.simulator = WeChatSimulator().start()
        self.addCleanup(self.simulator.stop)
        self.simulator.add_app("wxmp01", "mp-secret", "official_account", open_platform="p")
        self.simulator.add_app("wxmini01", "mini-secret", "miniprogram")
        self.simulator.add_person("xiaohong", "小红")
        self.client = WeChatLogin("wxmp01", "mp-secret", api_base=self.simulator.url)

    def test_urls(self):
        client = WeChatLogin("wxweb01", "s", open_base="https://open.example.cn")
        url = client.website_qr_url("https://shop.example.cn/auth_wechat/callback?a=1", "st-1")
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        self.assertEqual(parts.path, "/connect/qrconnect")
        self.assertEqual(query["scope"], ["snsapi_login"])
        self.assertEqual(
            query["redirect_uri"], ["https://shop.example.cn/auth_wechat/callback?a=1"]
        )
        self.assertIn("redirect_uri=https%3A%2F%2Fshop.example.cn", url, "encoded")
        self.assertEqual(query["state"], ["st-1"])
        self.assertTrue(url.endswith("#wechat_redirect"))
        url = WeChatLogin("wxmp01", "s").oauth_url("https://x.cn/cb", "st-2", "snsapi_userinfo")
        self.assertTrue(url.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?"))
        self.assertIn("scope=snsapi_userinfo", url)

    def test_code_exchange_profile_and_errors(self):
        code = self.simulator.issue_code("wxmp01", "xiaohong", "snsapi_userinfo")
        account = self.client.exchange_code(code)
        self.assertEqual(account["openid"], self.simulator.openid("wxmp01", "xiaohong"))
        self.assertEqual(account["unionid"], self.simulator.unionid("wxmp01", "xiaohong"))
        profile = self.client.user_info(account["access_token"], account["openid"])
        self.assertEqual(profile["nickname"], "小红")
        with self.assertRaises(WeChatError) as used:
            self.client.exchange_code(code)
        self.assertEqual(used.exception.errcode, 40163)
        with self.assertRaises(WeChatError) as invalid:
            self.client.exchange_code("not-a-code")
        self.assertEqual(invalid.exception.errcode, 40029)
        self.simulator.expire_tokens()
        with self.assertRaises(WeChatError) as expired:
            self.client.user_info(account["access_token"], account["openid"])
        self.assertEqual(expired.exception.errcode, 42001)
        wrong = WeChatLogin("wxmp01", "nope", api_base=self.simulator.url)
        with self.assertRaises(WeChatError) as secret:
            wrong.exchange_code(self.simulator.issue_code("wxmp01", "xiaohong"))
        self.assertEqual(secret.exception.errcode, 40125)

    def test_mini_program_and_network_errors(self):
        mini = WeChatLogin("wxmini01", "mini-secret", api_base=self.simulator.url)
        session = mini.code_to_session(self.simulator.issue_code("wxmini01", "xiaohong"))
        self.assertEqual(session["openid"], self.simulator.openid("wxmini01", "xiaohong"))
        self.assertIsNone(session["unionid"], "no open platform: no unionid")
        unknown = WeChatLogin("wxnobody", "x", api_base=self.simulator.url)
        with self.assertRaises(WeChatError) as appid:
            unknown.code_to_session("x")
        self.assertEqual(appid.exception.errcode, 40013)
        self.simulator.stop()
        with self.assertRaises(WeChatError) as down:
            mini.code_to_session("x")
        self.assertEqual(down.exception.errcode, -1)
