import re
from urllib.parse import urlsplit

from lxml import html

from odoo.tests import HttpCase, tagged

# Hosts that mainland China cannot reach, or Western networks its shoppers do not use.
BLOCKED_HOSTS_RE = re.compile(
    r"googleapis\.com|gstatic\.com|facebook\.com|twitter\.com|//x\.com|linkedin\.com"
    r"|pinterest\.com|wa\.me|whatsapp\.com"
)
# What a page loads by itself (as opposed to links a shopper may follow).
RESOURCE_XPATH = (
    "//script/@src | //script/@data-src | //img/@src | //iframe/@src | //source/@src"
    " | //link[not(@rel='alternate') and not(@rel='canonical')]/@href"
)


@tagged("post_install", "-at_install")
class TestShopFromChina(HttpCase):
    """The demo shop looks like a Chinese shop and loads nothing from a host
    outside the shop's own server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env.ref("fenxiao_demo.product_ys_cleanser")
        cls.company = cls.env.ref("base.main_company")

    def setUp(self):
        super().setUp()
        # the demo shop's first language, as a shopper in China gets it
        self.opener.cookies.set("frontend_lang", "zh_CN")

    def _page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response.text

    def _assert_loads_nothing_from_outside(self, url):
        page = self._page(url)
        self.assertFalse(
            BLOCKED_HOSTS_RE.findall(page), f"{url} names no blocked host, not even as a link"
        )
        tree = html.fromstring(page)
        own = urlsplit(self.base_url()).netloc
        outside = [
            src
            for src in tree.xpath(RESOURCE_XPATH)
            if urlsplit(src).netloc not in ("", own) and not src.startswith("data:")
        ]
        self.assertFalse(outside, f"{url} loads only from the shop's own server")
        bundles = [src for src in tree.xpath(RESOURCE_XPATH) if src.startswith("/web/assets/")]
        self.assertTrue(any(b.endswith(".css") for b in bundles), url)
        for bundle in bundles:
            content = self.url_open(bundle).text
            self.assertNotRegex(content, r"fonts\.googleapis\.com|fonts\.gstatic\.com", bundle)
            if bundle.endswith(".css"):
                self.assertNotRegex(
                    content,
                    r"""(url\(|@import)\s*['"]?(https?:)?//""",
                    f"{bundle} imports no stylesheet, font or image from another host",
                )
        return page

    def test_home_shop_and_product_page_load_nothing_from_outside(self):
        for url in ("/", "/shop", self.product.website_url):
            self._assert_loads_nothing_from_outside(url)

    def test_live_chat_loads_nothing_from_outside(self):
        """With 客服 online the pages carry Odoo's live chat: its code, its
        emoji (loaded when the picker opens) and its sounds come from the
        shop's own server too."""
        kefu = self.env.ref("fenxiao_demo.user_demo_kefu")
        self.env["bus.presence"].search([("user_id", "=", kefu.id)]).unlink()
        self.env["bus.presence"].create({"user_id": kefu.id, "status": "online"})
        own = urlsplit(self.base_url()).netloc
        for url in ("/", "/shop", self.product.website_url, "/contactus"):
            page = self._assert_loads_nothing_from_outside(url)
            self.assertIn("isAvailable: true", page, f"{url} offers the live chat")
            server = re.search(r'serverUrl: "([^"]*)"', page).group(1)
            self.assertEqual(
                urlsplit(server).netloc,
                urlsplit(self.env["website"].get_current_website().get_base_url()).netloc,
                "the chat talks to the shop's own server",
            )
        emoji = self.url_open("/web/bundle/web.assets_emoji").json()
        self.assertTrue(emoji)
        for asset in emoji:
            self.assertIn(urlsplit(asset["src"]).netloc, ("", own), asset)
            content = self.url_open(asset["src"]).text
            self.assertFalse(BLOCKED_HOSTS_RE.findall(content), asset["src"])
            self.assertNotRegex(content, r"""(https?:)?//[\w.-]+/[\w./-]+\.(png|svg|woff2?)""")
        for sound in ("dm_02", "channel_01_in", "channel_04_out"):
            for ext in ("mp3", "ogg"):
                response = self.url_open(f"/mail/static/src/audio/{sound}.{ext}")
                self.assertEqual(response.status_code, 200, f"{sound}.{ext} is served here")

    def test_text_is_set_in_the_phone_s_own_chinese_fonts(self):
        page = self._page("/")
        css = next(
            src
            for src in html.fromstring(page).xpath("//link[@rel='stylesheet']/@href")
            if "web.assets_frontend" in src
        )
        self.assertIn('"PingFang SC"', self.url_open(css).text)

    def test_category_strip_holds_only_the_shop_s_categories(self):
        furniture = self.env["ir.model.data"].search(
            [("module", "=", "website_sale"), ("model", "=", "product.public.category")]
        )
        self.assertFalse(furniture, "Odoo's furniture categories are gone")
        shop = self._page("/shop")
        for name in ("护肤", "彩妆", "香氛"):
            self.assertIn(name, shop)
        for name in ("桌台", "家具", "抽屉", "柜子", "Desks", "Lamps"):
            self.assertNotIn(name, shop)

    def test_footer_shows_the_merchant_not_placeholders(self):
        page = self._page("/")
        footer = html.fromstring(page).xpath("//footer")[0]
        text = footer.text_content()
        self.assertIn(self.company.phone, text)
        self.assertIn("客服电话", text)
        self.assertIn("周一至周日 9:00–21:00", text)
        self.assertIn(self.company.street, text)
        self.assertIn(f"© {self.company.name}", " ".join(text.split()))
        icp = footer.xpath(".//a[hasclass('o_fenxiao_footer_icp')]")[0]
        self.assertEqual(icp.get("href"), "https://beian.miit.gov.cn/")
        self.assertRegex(icp.text_content(), r"^浙ICP备\d+号")
        for placeholder in ("yourcompany.example.com", "555-555-5556", "公司名称"):
            self.assertNotIn(placeholder, text)
            self.assertNotIn(placeholder, page, "nor in the header or the phone's menu")
        header = html.fromstring(page).xpath("//header")[0]
        phone = header.xpath(".//*[hasclass('o_fenxiao_header_phone')]")[0]
        self.assertEqual(phone.text_content(), self.company.phone)
        self.assertIn("品牌馆", header.text_content(), "OCA's brand menu, in Chinese")
        self.assertNotIn("Shop by Brand", page)
        self.assertFalse(footer.xpath(".//*[hasclass('s_social_media')]"), "no social icons")
        website = self.env.ref("website.default_website")
        self.assertFalse(website.social_facebook or website.social_twitter)

    def test_product_shares_to_wechat_by_qr_code_and_to_weibo(self):
        tree = html.fromstring(self._page(self.product.website_url))
        share = tree.xpath("//div[hasclass('s_share')]")[0]
        self.assertEqual(
            [a.get("class") for a in share.xpath("./a")],
            ["s_share_wechat", "s_share_weibo", "s_share_email"],
        )
        weibo = share.xpath("./a[hasclass('s_share_weibo')]")[0].get("href")
        self.assertTrue(weibo.startswith("https://service.weibo.com/share/share.php?url={url}"))
        qr = tree.xpath("//div[@id='o_fenxiao_share_wechat_qr']//img/@src")[0]
        self.assertTrue(qr.startswith("/report/barcode?barcode_type=QR"), "drawn by this server")
        self.assertTrue(qr.endswith(self.product.website_url), "the QR code opens this product")
        image = self.url_open(qr)
        self.assertEqual(image.status_code, 200)
        self.assertEqual(image.headers["Content-Type"], "image/png")
