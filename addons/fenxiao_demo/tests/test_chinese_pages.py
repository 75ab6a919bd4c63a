import re
from urllib.parse import urlsplit

from lxml import html

from odoo.tests import HttpCase, tagged

from .test_hostile_input import CSRF_RE

# A run of Latin letters is an English word left on a Chinese page, except
# these: CNY is the price's currency in the product's schema.org microdata,
# for search engines, never shown.
LATIN_WORD_RE = re.compile(r"[A-Za-z]{2,}")
ALLOWED_WORDS = {"CNY"}

# WeChat's JS-SDK is the one outside script a page in WeChat may load.
ALLOWED_HOSTS = {"res.wx.qq.com"}

ASSET_ATTRIBUTES = (("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"))


@tagged("post_install", "-at_install")
class TestPagesReadChinese(HttpCase):
    """WeChat shows a page's <title> in its title bar and in share cards: on
    the demo shop, whose website speaks Chinese, every page of the shopping
    path and of the account says its title and headings in Chinese, and
    loads nothing from a host outside the shop."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls.env.ref("website.default_website")
        cls.product = cls.env["product.product"].search([("default_code", "=", "YS-F001")])
        shopper = cls.env["res.users"].search([("login", "=", "shopper")])
        cls.shopper_order = cls.env["sale.order"].search(
            [("partner_id", "=", shopper.partner_id.id), ("state", "=", "sale")], limit=1
        )

    def setUp(self):
        super().setUp()
        self.opener.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
        self.opener.cookies.set("frontend_lang", "zh_CN")

    def _get(self, path):
        response = self.url_open(path, timeout=60)
        self.assertEqual(response.status_code, 200, path)
        return response

    def _english_words(self, text):
        return [word for word in LATIN_WORD_RE.findall(text or "") if word not in ALLOWED_WORDS]

    def _assert_reads_chinese(self, path):
        response = self._get(path)
        doc = html.fromstring(response.content)
        title = " ".join(doc.xpath("//title")[0].text_content().split())
        self.assertFalse(self._english_words(title), f"{path}: title {title!r}")
        for heading in doc.xpath("//h1 | //h2 | //h3"):
            # hidden (d-none) headings are templates for the page's scripts
            if heading.xpath("ancestor-or-self::*[contains(concat(' ', @class, ' '), ' d-none ')]"):
                continue
            text = " ".join(heading.text_content().split())
            self.assertFalse(self._english_words(text), f"{path}: <{heading.tag}> {text!r}")
        self._assert_no_outside_host(path, doc)
        return response

    def _assert_no_outside_host(self, path, doc):
        own_hosts = {
            urlsplit(self.base_url()).hostname,
            urlsplit(self.website.get_base_url()).hostname,
        }
        accepted = own_hosts | ALLOWED_HOSTS
        for tag, attribute in ASSET_ATTRIBUTES:
            for url in doc.xpath(f"//{tag}/@{attribute}"):
                url = url.strip()
                if not url.startswith(("http:", "https:", "//")):
                    continue  # a path on the shop itself, or data:
                if urlsplit(url).hostname in accepted:
                    continue
                self.fail(f"{path}: <{tag} {attribute}={url!r}> loads from outside the shop")

    def _add_to_cart(self):
        page = self._get("/shop")
        csrf = CSRF_RE.search(page.text).group(1)
        response = self.url_open(
            "/shop/cart/update",
            data={"product_id": self.product.id, "add_qty": 1, "csrf_token": csrf},
            timeout=60,
        )
        self.assertEqual(response.status_code, 200)

    def test_visitor_pages_read_chinese(self):
        product_page = self.product.product_tmpl_id.website_url
        for path in (
            "/shop",
            product_page,
            "/web/login",
            "/web/login/phone",
            "/web/signup",
            "/web/reset_password",
            "/page/product_brands",
        ):
            with self.subTest(path=path):
                self._assert_reads_chinese(path)

    def test_shopper_checkout_and_account_pages_read_chinese(self):
        self.authenticate("shopper", "shopper")
        self._add_to_cart()
        for path in (
            "/shop/cart",
            "/shop/checkout",
            "/shop/address",
            "/shop/payment",
            "/payment/status",
            "/my",
            "/my/orders",
            self.shopper_order.get_portal_url(),
            "/my/invoices",
            "/my/fenxiao",  # not a distributor: how to become one
        ):
            with self.subTest(path=path):
                self._assert_reads_chinese(path)

    def test_distributor_centre_pages_read_chinese(self):
        self.authenticate("distributor", "distributor")
        for path in (
            "/my/fenxiao",
            "/my/fenxiao/team",
            "/my/fenxiao/orders",
            "/my/fenxiao/commission",
            "/my/fenxiao/statement",
            "/my/fenxiao/withdraw",
            "/my/fenxiao/invite",
        ):
            with self.subTest(path=path):
                self._assert_reads_chinese(path)

    def test_page_titles_say_what_the_page_is(self):
        """The titles the shop sets itself, instead of the view's name."""
        self.assertIn("<title>全部商品 | 云裳美妆</title>", self._get("/shop").text)
        self.assertIn("<title>手机号登录 | 云裳美妆</title>", self._get("/web/login/phone").text)
        self.authenticate("distributor", "distributor")
        self.assertIn("<title>分销中心：概览 | 云裳美妆</title>", self._get("/my/fenxiao").text)

    def test_checkout_words_read_naturally(self):
        """Odoo's zh_CN words in checkout that read as machine output are
        replaced: the cart step, the step count, the order summary, the
        search count."""
        self.authenticate("shopper", "shopper")
        self._add_to_cart()
        machine_words = ("订单评价", "项目（个）", "已找到", "1 的 3")
        for path, natural in (
            ("/shop/cart", "1/3"),
            ("/shop/checkout", "件"),
            ("/shop?search=%E9%9C%9C", "个结果"),
        ):
            with self.subTest(path=path):
                text = self._get(path).text
                self.assertTrue(natural in text, f"{path}: {natural!r} expected")
                for words in machine_words:
                    self.assertFalse(words in text, f"{path}: {words!r} still there")
        self.assertTrue("确认订单" in self._get("/shop/cart").text, "the cart step's name")
