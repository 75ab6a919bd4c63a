from odoo.tests import HttpCase, tagged

from .test_hostile_input import CSRF_RE


@tagged("post_install", "-at_install")
class TestSecurityHeaders(HttpCase):
    """The website's pages may only be framed by the site itself, never
    sniffed, send only the origin to other sites, and the session cookie is
    SameSite=Lax."""

    def _assert_security_headers(self, response):
        headers = response.headers
        self.assertIn("frame-ancestors 'self'", headers.get("Content-Security-Policy", ""))
        self.assertEqual(headers.get("X-Frame-Options"), "SAMEORIGIN")
        self.assertEqual(headers.get("X-Content-Type-Options"), "nosniff")
        self.assertEqual(headers.get("Referrer-Policy"), "strict-origin-when-cross-origin")

    def test_shop_and_portal_pages_carry_security_headers(self):
        self._assert_security_headers(self.url_open("/shop"))
        self.authenticate("distributor", "distributor")
        self._assert_security_headers(self.url_open("/my/fenxiao"))

    def test_back_office_keeps_odoo_s_own_frame_policy(self):
        self.authenticate("admin", "admin")
        response = self.url_open("/odoo")
        self.assertEqual(response.headers.get("X-Frame-Options"), "DENY", "Odoo's own, kept")
        self.assertEqual(response.headers.get("X-Content-Type-Options"), "nosniff")

    def test_session_cookie_is_samesite_lax(self):
        # signing in makes a new session, hence a Set-Cookie
        page = self.url_open("/web/login")
        csrf = CSRF_RE.search(page.text).group(1)
        response = self.opener.post(
            self.base_url() + "/web/login",
            data={"login": "shopper", "password": "shopper", "csrf_token": csrf},
            allow_redirects=False,
            timeout=30,
        )
        cookies = [
            value
            for key, value in response.raw.headers.items()
            if key.lower() == "set-cookie" and value.startswith("session_id=")
        ]
        self.assertTrue(cookies, "signing in sets the session cookie")
        for cookie in cookies:
            self.assertIn("SameSite=Lax", cookie)
            self.assertIn("HttpOnly", cookie)
