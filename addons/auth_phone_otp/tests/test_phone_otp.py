from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.auth_signup.models.res_users import SignupError

from ..models.sms_provider import LogSmsProvider, SmsError
from ..utils import mask_phone, normalize_mainland_phone
from .common import PHONE, PhoneOtpCase

T0 = datetime(2026, 11, 11, 9, 0, 0)


@tagged("post_install", "-at_install")
class TestPhoneOtp(PhoneOtpCase):
    def test_numbers_are_normalised(self):
        for raw in (
            "13900001234",
            "139 0000 1234",
            "139-0000-1234",
            "+86 139 0000 1234",
            "+86-13900001234",
            "0086 13900001234",
            "8613900001234",
            "（139）00001234",
            "１３９００００１２３４",  # full-width, as Chinese input methods type it
        ):
            self.assertEqual(normalize_mainland_phone(raw), PHONE, raw)
        for raw in (
            "12900001234",  # no mobile starts 12
            "1390000123",
            "139000012345",
            "+85291234567",  # Hong Kong
            "abc",
            "",
            None,
            "1" * 5000,
            "1390000١234",  # an Arabic-Indic digit
        ):
            self.assertIsNone(normalize_mainland_phone(raw), raw)
        self.assertEqual(mask_phone(PHONE), "139****1234")

    def test_code_signs_up_then_in(self):
        with freeze_time(T0), self.fixed_code("123456"):
            phone = self.Code._send_code("139 0000 1234", "10.0.0.1")
        code = self.Code.search([("phone", "=", phone)])
        self.assertEqual(len(code), 1)
        self.assertNotIn("123456", code.code_hash, "stored hashed")
        self.assertEqual(code.expires_at, T0 + timedelta(minutes=5))
        with freeze_time(T0 + timedelta(minutes=4)):
            phone, token = self.Code._verify_code(PHONE, "123456")
        user = self.env["res.users"]._phone_otp_find_or_signup(phone)
        self.assertTrue(user.share, "a portal user")
        self.assertEqual((user.login, user.login_phone), (PHONE, PHONE))
        self.assertEqual(user.name, "User 1234")
        with freeze_time(T0 + timedelta(minutes=5)):
            self.assertTrue(self.Code._consume_login_token(user, token))
            self.assertFalse(self.Code._consume_login_token(user, token), "once")
        self.assertEqual(code.state, "used")
        self.assertEqual(self.env["res.users"]._phone_otp_find_or_signup(PHONE), user)

    def test_wrong_codes_count_and_block(self):
        with freeze_time(T0), self.fixed_code("123456"):
            self.Code._send_code(PHONE, "10.0.0.1")
        code = self.Code.search([("phone", "=", PHONE)])
        with freeze_time(T0 + timedelta(minutes=1)):
            for left in (4, 3, 2, 1):
                with self.assertRaisesRegex(UserError, f"{left} attempts left"):
                    self.Code._verify_code(PHONE, "654321")
            with self.assertRaisesRegex(UserError, "Too many wrong codes"):
                self.Code._verify_code(PHONE, "000000")
            self.assertEqual((code.attempts, code.state), (5, "blocked"))
            with self.assertRaisesRegex(UserError, "Ask for a code first"):
                self.Code._verify_code(PHONE, "123456")
        for bad in ("12345", "1234567", "abcdef", "", None, "1" * 5000):
            with self.assertRaisesRegex(UserError, "6 digits"):
                self.Code._verify_code(PHONE, bad)

    def test_codes_expire_and_are_replaced(self):
        with freeze_time(T0), self.fixed_code("111111"):
            self.Code._send_code(PHONE, "10.0.0.1")
        with freeze_time(T0 + timedelta(minutes=5, seconds=1)):
            with self.assertRaisesRegex(UserError, "expired"):
                self.Code._verify_code(PHONE, "111111")
        with freeze_time(T0 + timedelta(minutes=6)), self.fixed_code("222222"):
            self.Code._send_code(PHONE, "10.0.0.1")
        with freeze_time(T0 + timedelta(minutes=7)), self.fixed_code("333333"):
            self.Code._send_code(PHONE, "10.0.0.1")
            with self.assertRaisesRegex(UserError, "Wrong code"):
                self.Code._verify_code(PHONE, "222222")
            self.assertTrue(self.Code._verify_code(PHONE, "333333"))

    def test_rate_limits(self):
        with freeze_time(T0), self.fixed_code("123456"):
            self.Code._send_code(PHONE, "10.0.0.1")
        with freeze_time(T0 + timedelta(seconds=30)):
            with self.assertRaisesRegex(UserError, "31 seconds"):
                self.Code._send_code(PHONE, "10.0.0.1")
        for minutes in (2, 4):
            with freeze_time(T0 + timedelta(minutes=minutes)):
                self.Code._send_code(PHONE, "10.0.0.1")
        with freeze_time(T0 + timedelta(minutes=6)):
            with self.assertRaisesRegex(UserError, "this number"):
                self.Code._send_code(PHONE, "10.0.0.2")
        with freeze_time(T0 + timedelta(minutes=61)):
            self.Code._send_code(PHONE, "10.0.0.2")
        # one address asking for many numbers
        with freeze_time(T0 + timedelta(minutes=70)):
            for n in range(5):
                self.Code._send_code(f"+861380000000{n}", "10.0.0.9")
            with self.assertRaisesRegex(UserError, "your network"):
                self.Code._send_code("+8613800000009", "10.0.0.9")
            self.assertFalse(self.Code.search_count([("phone", "=", "+8613800000009")]))

    @mute_logger("odoo.addons.auth_phone_otp.models.auth_phone_otp_code")
    def test_refused_sends_leave_nothing(self):
        with patch.object(
            LogSmsProvider, "send_code", side_effect=SmsError("isv.BUSINESS_LIMIT_CONTROL", "limit")
        ):
            with self.assertRaisesRegex(UserError, "BUSINESS_LIMIT_CONTROL"):
                with self.env.cr.savepoint():
                    self.Code._send_code(PHONE, "10.0.0.1")
        self.assertFalse(self.Code.search_count([("phone", "=", PHONE)]))
        with patch.object(type(self.Code), "_log_provider_allowed", lambda self: False):
            with self.assertRaisesRegex(UserError, "not set up"):
                self.Code._send_code(PHONE, "10.0.0.1")
        with self.assertRaisesRegex(UserError, "mainland China mobile"):
            self.Code._send_code("+85291234567", "10.0.0.1")

    def test_tokens_are_short_lived_and_per_number(self):
        with freeze_time(T0), self.fixed_code("123456"):
            self.Code._send_code(PHONE, "10.0.0.1")
            phone, token = self.Code._verify_code(PHONE, "123456")
        user = self.env["res.users"]._phone_otp_find_or_signup(phone)
        other = self.env["res.users"]._phone_otp_find_or_signup("+8613700001111")
        with freeze_time(T0 + timedelta(minutes=1)):
            self.assertFalse(self.Code._consume_login_token(other, token))
            self.assertFalse(self.Code._consume_login_token(user, token + "x"))
            self.assertFalse(self.Code._consume_login_token(user, None))
        with freeze_time(T0 + timedelta(minutes=3)):
            self.assertFalse(self.Code._consume_login_token(user, token), "expired")

    def test_one_account_per_number(self):
        user = self.env["res.users"]._phone_otp_find_or_signup(PHONE)
        other = self.env["res.users"].create({"name": "王芳", "login": "wangfang@example.cn"})
        with self.assertRaisesRegex(ValidationError, "already signs in to another account"):
            other.login_phone = "139 0000 1234"
        other.login_phone = "+86 137 0000 2222"
        self.assertEqual(other.login_phone, "+8613700002222")
        with self.assertRaises(ValidationError):
            other.login_phone = "12345"
        self.assertEqual(user.login_phone, PHONE)

    def test_no_sign_up_when_the_website_is_invitation_only(self):
        self.env["website"].search([]).auth_signup_uninvited = "b2b"
        with self.assertRaises(SignupError):
            self.env["res.users"]._phone_otp_find_or_signup(PHONE)
