from lxml import html

from odoo.tests import HttpCase, tagged

# What the shopper types in the tours (static/tests/tours/livechat.js).
QUESTION = "请问这款洁面敏感肌能用吗？"


class LivechatCase(HttpCase):
    """The demo shop's live chat (在线客服) with 客服 小美 online."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls.env.ref("website.default_website")
        cls.channel = cls.env.ref("fenxiao_demo.livechat_channel_kefu")
        cls.shop_rule = cls.env.ref("fenxiao_demo.livechat_rule_kefu_shop")
        cls.kefu = cls.env.ref("fenxiao_demo.user_demo_kefu")
        cls.product = cls.env.ref("fenxiao_demo.product_ys_cleanser")
        cls.company = cls.env.ref("base.main_company")
        # Live chat is offered only while an operator is online: 小美 is, the
        # administrator is not, so she is the one who answers.
        presence = cls.env["bus.presence"].search([("user_id", "in", cls.channel.user_ids.ids)])
        presence.unlink()
        cls.env["bus.presence"].create({"user_id": cls.kefu.id, "status": "online"})

    def _assert_kefu_received(self, text):
        session = self.env["discuss.channel"].search(
            [("livechat_channel_id", "=", self.channel.id), ("channel_type", "=", "livechat")],
            order="id desc",
            limit=1,
        )
        self.assertTrue(session, "the visitor's conversation is a live chat session of the shop")
        self.assertEqual(session.livechat_operator_id, self.kefu.partner_id)
        self.assertIn(
            self.kefu.partner_id,
            session.channel_member_ids.partner_id,
            "小美 is in the conversation: it is in her Discuss",
        )
        message = session.message_ids.filtered(lambda m: text in (m.body or ""))
        self.assertEqual(len(message), 1, "the question arrived once")
        self.assertFalse(message.author_id, "written by the anonymous visitor, not an operator")
        self.assertTrue(message.author_guest_id)
        return session


@tagged("post_install", "-at_install")
class TestLivechatSetup(LivechatCase):
    def test_shop_pages_offer_the_chat_after_the_shopper_lingers(self):
        self.assertEqual(self.website.channel_id, self.channel)
        self.assertEqual(self.channel.button_text, "在线客服")
        self.assertEqual(self.channel.default_message, "您好，我是云裳美妆客服，有什么可以帮您？")
        self.assertEqual(self.channel.user_ids, self.kefu | self.env.ref("base.user_admin"))
        self.assertTrue(self.kefu._is_internal())
        self.assertTrue(self.kefu.has_group("im_livechat.im_livechat_group_user"))
        self.assertFalse(self.kefu.has_group("sales_team.group_sale_salesman"), "客服 only")

        rules = self.env["im_livechat.channel.rule"]
        base = self.base_url()
        category = self.env.ref("fenxiao_demo.public_categ_skincare")
        for path in (
            "/shop",
            "/shop?search=云裳",
            f"/shop/category/{self.env['ir.http']._slug(category)}",
            self.product.website_url,
            f"/en{self.product.website_url}",
        ):
            rule = rules.match_rule(self.channel.id, f"{base}{path}")
            self.assertEqual(rule, self.shop_rule, path)
        self.assertEqual(self.shop_rule.action, "auto_popup")
        self.assertGreaterEqual(self.shop_rule.auto_popup_timer, 10, "after lingering, not at once")
        for path in ("/", "/contactus", "/shop/cart", "/shop/checkout", "/shop/payment", "/my"):
            rule = rules.match_rule(self.channel.id, f"{base}{path}")
            self.assertEqual(rule.action, "display_button", f"{path}: the button, no pop-up")

    def test_chat_is_offered_only_while_someone_can_answer(self):
        page = self.url_open(self.product.website_url).text
        self.assertIn("isAvailable: true", page)
        self.env["bus.presence"].search([("user_id", "=", self.kefu.id)]).status = "offline"
        page = self.url_open(self.product.website_url).text
        self.assertIn("isAvailable: false", page, "no chat button when nobody is online")

    def test_contact_page_gives_hotline_hours_wechat_and_chat_in_chinese(self):
        self.opener.cookies.set("frontend_lang", "zh_CN")
        response = self.url_open("/contactus")
        self.assertEqual(response.status_code, 200)
        box = html.fromstring(response.text).xpath("//div[hasclass('o_fenxiao_contact_kefu')]")[0]
        text = " ".join(box.text_content().split())
        self.assertIn(f"客服电话： {self.company.phone}", text)
        self.assertIn("工作时间：周一至周日 9:00–21:00", text)
        self.assertIn("微信客服： yunshang_kefu", text)
        self.assertIn("微信扫一扫添加客服", text)
        tel = box.xpath(".//li[hasclass('o_fenxiao_contact_phone')]/a/@href")[0]
        self.assertEqual(tel, f"tel:{self.company.phone}", "the header's and footer's hotline")
        qr = box.xpath(".//img[hasclass('o_fenxiao_contact_wechat_qr')]/@src")[0]
        self.assertTrue(qr.startswith("/report/barcode?barcode_type=QR"), "drawn by this server")
        self.assertIn("u.wechat.com", qr)
        image = self.url_open(qr)
        self.assertEqual(image.headers["Content-Type"], "image/png")
        button = box.xpath(".//button[hasclass('o_fenxiao_contact_livechat')]")[0]
        self.assertEqual(button.text_content().strip(), "在线客服")
        for placeholder in ("My Company", "555-555-5556", "Fake Buena Vista"):
            self.assertNotIn(placeholder, response.text)


@tagged("post_install", "-at_install")
class TestLivechatOnComputer(LivechatCase):
    def test_lingering_shopper_is_offered_the_chat_and_reaches_kefu(self):
        self.shop_rule.auto_popup_timer = 2
        self.start_tour(self.product.website_url, "fenxiao_demo_livechat_popup")
        self._assert_kefu_received(QUESTION)


@tagged("post_install", "-at_install")
class TestLivechatOnPhone(LivechatCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_chat_does_not_cover_the_phone_page_and_is_a_tap_away(self):
        self.shop_rule.auto_popup_timer = 1
        self.start_tour(self.product.website_url, "fenxiao_demo_livechat_phone")
        self._assert_kefu_received(QUESTION)

    def test_contact_page_button_opens_the_chat(self):
        self.start_tour("/contactus", "fenxiao_demo_livechat_contact")
