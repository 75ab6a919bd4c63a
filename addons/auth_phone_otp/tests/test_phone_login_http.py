from odoo import http
from odoo.tests import HttpCase, tagged

from .common import PHONE, PhoneOtpCase


@tagged("post_install", "-at_install")
class TestPhoneLoginHttp(PhoneOtpCase, HttpCase):
    def _send(self, phone):
        return self.make_jsonrpc_request("/web/login/phone/send", {"phone": phone})

    def _submit(self, phone, code, redirect="", **kwargs):
        return self.url_open(
            "/web/login/phone",
            data={
                "phone": phone,
                "code": code,
                "redirect": redirect,
                "csrf_token": http.Request.csrf_token(self),
            },
            **kwargs,
        )

    def test_sign_up_and_in_by_code(self):
        self.authenticate(None, None)
        with self.fixed_code("246810"):
            self.assertEqual(self._send("139 0000 1234"), {"phone": PHONE, "resend_in": 60})
        self.assertIn("ask again in", self._send(PHONE)["error"])
        response = self._submit(PHONE, "135790")
        self.assertIn("Wrong code: 4 attempts left", response.text)
        self.assertEqual(self.Code.search([("phone", "=", PHONE)]).attempts, 1, "counted")
        response = self._submit(
            "139 0000 1234", "246810", redirect="https://evil.example.com/", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"), "no open redirect")
        user = self.env["res.users"].search([("login_phone", "=", PHONE)])
        # the new session (HttpCase's opener would keep sending the old cookie too)
        self.opener.cookies.clear()
        self.opener.cookies.set("session_id", response.cookies["session_id"])
        account = self.url_open("/my")
        self.assertNotIn("/web/login", account.url, "signed in")
        self.assertIn(user.name, account.text)

    def test_bad_input_is_refused_clearly(self):
        self.authenticate(None, None)
        for phone in ("12345", "+85291234567", "x" * 5000, ""):
            self.assertIn("mainland China mobile", self._send(phone)["error"])
        self.assertIn("mainland China mobile", self._submit("12345", "123456").text)
        self.assertIn("Ask for a code first", self._submit(PHONE, "123456").text)
        self.assertIn("6 digits", self._submit(PHONE, "12ab56").text)
        self.assertFalse(self.env["res.users"].search([("login_phone", "=", PHONE)]))

    def test_tour_at_phone_width(self):
        self.browser_size = "375x667"
        self.touch_enabled = True
        with self.fixed_code("246810"):
            self.start_tour("/web/login", "auth_phone_otp_login")
        user = self.env["res.users"].search([("login_phone", "=", PHONE)])
        self.assertTrue(user.share)
        self.assertTrue(user.login_date, "signed in")
