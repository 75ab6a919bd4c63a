import hashlib

from odoo.tests import tagged

from ..models.wechat_client import WeChatJSSDK
from ..models.wechat_session import ConfigParameterStorage
from .common import WeChatCase

# WeChat's documented example of a JS-SDK signature
TICKET = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
NONCE = "Wm3WZYTPz0wzccnW"
TIMESTAMP = 1414587457
URL = "http://mp.weixin.qq.com?params=value"
SIGNATURE = "0f9de62fce790f9a083d5c99e95740ceb90c27ed"


@tagged("post_install", "-at_install")
class TestWeChatJSSDK(WeChatCase):
    """wx.config for a page: the official account's ticket, fetched once and
    shared, and the signature WeChat checks."""

    def _requests(self, path):
        return [r for r in self.simulator.received if r["path"] == path]

    def test_signature_is_wechats_documented_example(self):
        jssdk = WeChatJSSDK("wxmp0000000000001", "mp-secret", ConfigParameterStorage(self.env))
        self.assertEqual(jssdk.signature(TICKET, NONCE, TIMESTAMP, URL), SIGNATURE)
        self.assertEqual(
            jssdk.signature(TICKET, NONCE, TIMESTAMP, URL + "#share"),
            SIGNATURE,
            "the #fragment is not signed",
        )

    def test_ticket_is_fetched_once_and_shared_by_workers(self):
        Identity = self.env["auth.wechat.identity"]
        page = "https://shop.example.cn/shop/lipstick-1?ref=A1B2#top"
        config = Identity._wechat_jssdk_config(page)
        self.assertEqual(config["appId"], "wxmp0000000000001")
        self.assertEqual(
            config["jsApiList"], ["updateAppMessageShareData", "updateTimelineShareData"]
        )
        signed = (
            f"jsapi_ticket={TICKET}&noncestr={config['nonceStr']}"
            f"&timestamp={config['timestamp']}&url={page.split('#')[0]}"
        )
        self.assertEqual(config["signature"], hashlib.sha1(signed.encode()).hexdigest())
        # another page, another worker (a new storage): the stored ticket
        Identity._wechat_jssdk_config("https://shop.example.cn/shop")
        self.assertEqual(len(self._requests("/cgi-bin/ticket/getticket")), 1)
        self.assertEqual(len(self._requests("/cgi-bin/token")), 1)
        # once it has expired, a new one
        self.params.set_param(
            "auth_wechat.cache.wxmp0000000000001_jsapi_ticket_expires_at",
            '{"value": 1, "expires_at": null}',
        )
        Identity._wechat_jssdk_config("https://shop.example.cn/shop")
        self.assertEqual(len(self._requests("/cgi-bin/ticket/getticket")), 2)

    def test_nothing_without_an_official_account_or_an_answer(self):
        Identity = self.env["auth.wechat.identity"]
        self.params.set_param("auth_wechat.official_secret", "wrong-secret")
        with self.assertLogs("odoo.addons.auth_wechat.models.auth_wechat_identity", "WARNING"):
            self.assertEqual(Identity._wechat_jssdk_config("https://shop.example.cn/"), {})
        self.params.set_param("auth_wechat.official_appid", False)
        self.assertEqual(Identity._wechat_jssdk_config("https://shop.example.cn/"), {})
