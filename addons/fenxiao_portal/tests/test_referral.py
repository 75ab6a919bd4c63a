import re
from unittest.mock import patch
from urllib.parse import urlsplit

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.auth_wechat.tests.wechat_simulator import WeChatSimulator

# what a browser sends when the shopper follows a link (here from another site)
NAVIGATION = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "none"}


@tagged("post_install", "-at_install")
class TestReferralCapture(HttpCase):
    """Following a distributor's link, on any page, remembers and binds the shopper."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"fenxiao_binding_event": "visit", "fenxiao_binding_days": 30})
        partner = cls.env["res.partner"].create({"name": "分享达人"})
        cls.distributor = cls.env["fenxiao.distributor"].create(
            {"partner_id": partner.id, "state": "active"}
        )
        cls.code = cls.distributor.referral_code
        cls.shopper = new_test_user(cls.env, "fx_ref_shopper", groups="base.group_portal")

    def _get(self, url, headers=None):
        # redirects followed: the website may first add the visitor's language
        self.opener.cookies.pop("fenxiao_ref", None)
        return self.url_open(url, headers=headers)

    def _remembered(self):
        return self.opener.cookies.get("fenxiao_ref")

    def test_short_link_remembers_the_referral(self):
        response = self._get(f"/r/{self.code.lower()}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/shop"), response.url)
        self.assertEqual(self._remembered(), self.code)

    def test_signed_in_shopper_bound_on_visit(self):
        self.authenticate("fx_ref_shopper", "fx_ref_shopper")
        self.assertEqual(self._get(f"/shop?ref={self.code}", NAVIGATION).status_code, 200)
        partner = self.shopper.partner_id
        self.assertEqual(partner.fenxiao_distributor_id, self.distributor)
        self.assertEqual(partner.fenxiao_binding_ids.cause, "visit")

    def test_link_loaded_by_another_page_does_not_bind(self):
        """An image, a frame or a script of another page sends the shopper's
        cookies too: it is remembered, as for a visitor, and binds nobody."""
        self.authenticate("fx_ref_shopper", "fx_ref_shopper")
        partner = self.shopper.partner_id
        for headers in (
            {
                "Sec-Fetch-Mode": "no-cors",
                "Sec-Fetch-Dest": "image",
                "Sec-Fetch-Site": "cross-site",
            },
            {"Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Site": "cross-site"},
            {
                "Sec-Fetch-Mode": "navigate",
                "Sec-Fetch-Dest": "iframe",
                "Sec-Fetch-Site": "same-site",
            },
            {"Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty", "Sec-Fetch-Site": "same-origin"},
            dict(NAVIGATION, **{"Sec-Purpose": "prefetch"}),
            dict(NAVIGATION, Purpose="prefetch"),
            {},  # no Sec-Fetch headers at all: cannot tell, so not a visit
        ):
            for url in (f"/shop?ref={self.code}", f"/r/{self.code}"):
                with self.subTest(headers=headers, url=url):
                    self.assertEqual(self._get(url, headers).status_code, 200)
                    self.assertEqual(self._remembered(), self.code)
                    self.assertFalse(partner.fenxiao_distributor_id)
        self._get(f"/r/{self.code}", NAVIGATION)
        self.assertEqual(partner.fenxiao_distributor_id, self.distributor, "the shopper's visit")

    def test_sign_up_after_the_link_binds(self):
        self.company.fenxiao_binding_event = "signup"
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        self._get(f"/r/{self.code}")
        page = self.url_open("/web/signup").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        self.url_open(
            "/web/signup",
            data={
                "csrf_token": csrf,
                "login": "new.shopper@example.com",
                "name": "新顾客",
                "password": "a-long-password-1",
                "confirm_password": "a-long-password-1",
            },
        )
        user = self.env["res.users"].search([("login", "=", "new.shopper@example.com")])
        self.assertTrue(user, "signed up")
        self.assertEqual(user.partner_id.fenxiao_distributor_id, self.distributor)
        self.assertEqual(user.partner_id.fenxiao_binding_ids.cause, "signup")

    def test_first_sign_in_by_phone_after_the_link_binds(self):
        self.company.fenxiao_binding_event = "signup"
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("auth_signup.invitation_scope", "b2c")
        params.set_param("auth_phone_otp.provider", "log")
        self._get(f"/r/{self.code}")
        Code = type(self.env["auth.phone.otp.code"])
        with patch.object(Code, "_generate_code", lambda self: "975310"):
            answer = self.make_jsonrpc_request("/web/login/phone/send", {"phone": "13912340000"})
        self.assertEqual(answer["phone"], "+8613912340000")
        page = self.url_open("/web/login/phone").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        self.url_open(
            "/web/login/phone",
            data={"csrf_token": csrf, "phone": "139 1234 0000", "code": "975310"},
        )
        user = self.env["res.users"].search([("login_phone", "=", "+8613912340000")])
        self.assertTrue(user, "signed up by phone")
        self.assertEqual(user.partner_id.fenxiao_distributor_id, self.distributor)
        self.assertEqual(user.partner_id.fenxiao_binding_ids.cause, "signup")

    def test_first_sign_in_with_wechat_after_the_link_binds(self):
        self.company.fenxiao_binding_event = "signup"
        self.env["website"].search([]).auth_signup_uninvited = "b2c"
        simulator = WeChatSimulator().start()
        self.addCleanup(simulator.stop)
        simulator.add_app("wxmini000000000001", "mini-secret", "miniprogram")
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("auth_wechat.miniprogram_appid", "wxmini000000000001")
        params.set_param("auth_wechat.miniprogram_secret", "mini-secret")
        params.set_param("auth_wechat.api_base", simulator.url)
        self._get(f"/r/{self.code}")
        code = simulator.issue_code("wxmini000000000001", "xiaohong")
        answer = self.make_jsonrpc_request("/auth_wechat/miniprogram/session", {"code": code})
        self.assertTrue(answer["new_user"])
        partner = self.env["res.users"].browse(answer["uid"]).partner_id
        self.assertEqual(partner.fenxiao_distributor_id, self.distributor)
        self.assertEqual(partner.fenxiao_binding_ids.cause, "signup")

    def test_bad_links_never_break_a_page(self):
        for url in (
            "/r/" + "A" * 3000,
            "/r/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "/r/00000000",
            "/r/' OR 1=1 --",
            f"/shop?ref={'Z' * 5000}",
            "/shop?ref=%00%ff",
            "/shop?ref=&ref=abc",
        ):
            with self.subTest(url=url[:40]):
                response = self._get(url)
                self.assertLess(response.status_code, 500)
                self.assertFalse(self._remembered())
        self.distributor.action_suspend("违规")
        self._get(f"/r/{self.code}")
        self.assertFalse(self._remembered())

    def test_no_open_redirect(self):
        for target in (
            "https://evil.example/",
            "//evil.example",
            "/%5Cevil.example",
            "%5C%5Cevil.example",
            "javascript:alert(1)",
        ):
            with self.subTest(target=target):
                response = self._get(f"/r/{self.code}?next={target}")
                self.assertTrue(response.url.startswith(self.base_url()), response.url)
                self.assertTrue(response.url.endswith("/shop"), response.url)
        response = self._get(f"/r/{self.code}?next=/contactus")
        self.assertTrue(response.url.endswith("/contactus"), response.url)

    def test_control_characters_in_next_redirect_to_the_shop(self):
        for target in (
            "/my%0D%0ASet-Cookie:%20fx_evil=1",
            "/%0A/evil.example",
            "/%09/evil.example",
            "/%250A/evil.example",
            "/%2509/evil.example",
            "/%252F/evil.example",
            "/%255Cevil.example",
        ):
            with self.subTest(target=target):
                url = f"/r/{self.code}?next={target}"
                for _hop in range(3):  # the website may first add the language
                    response = self.url_open(url, allow_redirects=False)
                    self.assertIn(response.status_code, (301, 302, 303), "a redirect, not a 500")
                    url = response.headers["Location"]
                    location = urlsplit(url)
                    if not location.path.endswith(f"/r/{self.code}"):
                        break
                self.assertIn(location.netloc, ("", urlsplit(self.base_url()).netloc))
                self.assertEqual(location.path, "/shop")
                self.assertNotIn("fx_evil", response.headers.get("Set-Cookie", ""))

    def test_cart_keeps_the_referral(self):
        self._get(f"/r/{self.code}")
        product = self.env.ref("fenxiao_demo.product_ys_cream").product_variant_id
        self.make_jsonrpc_request(
            "/shop/cart/update_json", {"product_id": product.id, "add_qty": 1}
        )
        order = self.env["sale.order"].search([("order_line.product_id", "=", product.id)])
        self.assertEqual(order[:1].fenxiao_referral_code, self.code, "kept for the first order")
