import hashlib
import html
import json
import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.auth_wechat.tests.common import WECHAT_UA
from odoo.addons.auth_wechat.tests.wechat_simulator import WeChatSimulator
from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase

OFFICIAL_APPID = "wxmp0000000000001"


@tagged("post_install", "-at_install")
class TestWeChatShare(FenxiaoCommissionCase, HttpCase):
    """Opened in WeChat, the product page, the shop and the invitation say how
    they are shared (wx.config signed with the official account's ticket, the
    link with the distributor's ref); in another browser they say nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.simulator = WeChatSimulator().start()
        cls.addClassCleanup(cls.simulator.stop)
        cls.simulator.add_app(OFFICIAL_APPID, "mp-secret", "official_account")
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("auth_wechat.official_appid", OFFICIAL_APPID)
        params.set_param("auth_wechat.official_secret", "mp-secret")
        params.set_param("auth_wechat.api_base", cls.simulator.url)
        cls.serum = cls.p100.product_tmpl_id
        cls.serum.is_published = True

    def setUp(self):
        super().setUp()
        # one simulator for the class; each test starts with no ticket stored
        self.simulator.received.clear()

    def _share(self, url, in_wechat=True):
        headers = {"User-Agent": WECHAT_UA} if in_wechat else {}
        response = self.url_open(url, headers=headers)
        self.assertEqual(response.status_code, 200)
        found = re.search(r'id="o_fenxiao_wechat_share"[^>]*data-share="([^"]*)"', response.text)
        if not found:
            self.assertNotIn("jweixin", response.text)
            return None
        self.assertIn("https://res.wx.qq.com/open/js/jweixin-1.6.0.js", response.text)
        return response.url, json.loads(html.unescape(found.group(1)))

    def _assert_signed(self, page_url, config):
        signed = (
            f"jsapi_ticket={self.simulator.jsapi_ticket}&noncestr={config['nonceStr']}"
            f"&timestamp={config['timestamp']}&url={page_url}"
        )
        self.assertEqual(config["signature"], hashlib.sha1(signed.encode()).hexdigest())
        self.assertEqual(config["appId"], OFFICIAL_APPID)
        self.assertEqual(
            config["jsApiList"], ["updateAppMessageShareData", "updateTimelineShareData"]
        )

    # a shop page is a read-only transaction: storing the ticket makes Odoo
    # retry it read/write (logged)
    @mute_logger("odoo.sql_db", "odoo.http")
    def test_product_page_in_wechat_shares_the_distributors_link(self):
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        page_url, data = self._share(self.serum.website_url)
        self._assert_signed(page_url, data["config"])
        base_url = self.serum.get_base_url()
        share = data["share"]
        self.assertEqual(
            share["link"], f"{base_url}{self.serum.website_url}?ref={self.a1.referral_code}"
        )
        self.assertEqual(share["title"], self.serum.name)
        self.assertEqual(
            share["imgUrl"], f"{base_url}/web/image/product.template/{self.serum.id}/image_512"
        )
        # the shop and the invitation too, the ticket fetched once
        page_url, data = self._share("/shop")
        self._assert_signed(page_url, data["config"])
        self.assertEqual(data["share"]["link"], f"{base_url}/shop?ref={self.a1.referral_code}")
        page_url, data = self._share("/my/fenxiao/invite")
        self._assert_signed(page_url, data["config"])
        self.assertEqual(data["share"]["link"], f"{base_url}/r/{self.a1.referral_code}")
        tickets = [r for r in self.simulator.received if r["path"] == "/cgi-bin/ticket/getticket"]
        self.assertEqual(len(tickets), 1)

    @mute_logger("odoo.sql_db", "odoo.http")
    def test_nothing_outside_wechat_or_without_an_official_account(self):
        self.assertIsNone(self._share(self.serum.website_url, in_wechat=False))
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        self.assertIsNone(self._share(self.serum.website_url, in_wechat=False))
        # a shopper's share has no ref
        self.authenticate(None, None)
        _url, data = self._share(self.serum.website_url)
        self.assertNotIn("ref=", data["share"]["link"])
        self.env["ir.config_parameter"].sudo().set_param("auth_wechat.official_appid", False)
        self.assertIsNone(self._share(self.serum.website_url))

    def test_invitation_previews_its_share_card_in_any_browser(self):
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        page = self.url_open("/my/fenxiao/invite").text
        user = self.env["res.users"].search([("login", "=", "fx_portal_a1")])
        website = self.env["website"].get_current_website()
        # the page speaks the distributor's language
        lang = user.lang or website.default_lang_id.code
        card = website.with_context(lang=lang)._fenxiao_share_card(
            invite_url=f"{self.serum.get_base_url()}/r/{self.a1.referral_code}"
        )
        for part in ("title", "desc", "link"):
            found = re.search(rf'class="[^"]*o_fenxiao_share_card_{part}[^"]*">([^<]*)<', page)
            self.assertEqual(html.unescape(found.group(1)), card[part], part)
        self.assertIn(html.escape(card["imgUrl"]), page)
