from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PHONE, PhoneOtpCase
from .sms_simulator import SmsSimulator


@tagged("post_install", "-at_install")
class TestSmsServices(PhoneOtpCase):
    """Sign-in codes through Aliyun's and Tencent Cloud's SDKs, to the local
    simulator of their APIs, with the settings a merchant fills in."""

    def setUp(self):
        super().setUp()
        self.simulator = SmsSimulator(limit_per_phone=2).start()
        self.addCleanup(self.simulator.stop)
        self.params = self.env["ir.config_parameter"].sudo()
        self.params.set_param("auth_phone_otp.resend_seconds", "1")
        sim = self.simulator
        for key, value in {
            "aliyun_access_key_id": sim.aliyun_key_id,
            "aliyun_access_key_secret": sim.aliyun_key_secret,
            "aliyun_sign_name": sim.aliyun_sign_name,
            "aliyun_template_code": sim.aliyun_template_code,
            "aliyun_endpoint": sim.url,
            "tencent_secret_id": sim.tencent_secret_id,
            "tencent_secret_key": sim.tencent_secret_key,
            "tencent_sdk_app_id": sim.tencent_sdk_app_id,
            "tencent_sign_name": sim.tencent_sign_name,
            "tencent_template_id": sim.tencent_template_id,
            "tencent_endpoint": sim.url,
        }.items():
            self.params.set_param(f"auth_phone_otp.{key}", value)

    def _round_trip(self, provider):
        self.params.set_param("auth_phone_otp.provider", provider)
        self.Code._send_code("139 0000 1234", "10.0.0.1")
        code = self.simulator.last_code(PHONE)
        self.assertRegex(code or "", r"^[0-9]{6}$", "the service got the code")
        sent = self.Code.search([("phone", "=", PHONE)], limit=1)
        self.assertEqual(sent.provider, provider)
        self.assertTrue(sent.provider_ref, "the service's message id is kept")
        phone, token = self.Code._verify_code(PHONE, code)
        self.assertEqual(phone, PHONE)
        self.assertTrue(token)

    def test_aliyun(self):
        self._round_trip("aliyun")

    def test_tencent(self):
        self._round_trip("tencent")

    @mute_logger("odoo.addons.auth_phone_otp.models.auth_phone_otp_code")
    def test_refusals_are_explained_and_leave_nothing(self):
        for provider, wrong_secret, error in (
            ("aliyun", "aliyun_access_key_secret", "SignatureDoesNotMatch"),
            ("tencent", "tencent_secret_key", "AuthFailure.SignatureFailure"),
        ):
            self.params.set_param("auth_phone_otp.provider", provider)
            good = self.params.get_param(f"auth_phone_otp.{wrong_secret}")
            self.params.set_param(f"auth_phone_otp.{wrong_secret}", "not-the-secret")
            with self.assertRaisesRegex(UserError, error), self.env.cr.savepoint():
                self.Code._send_code(PHONE, "10.0.0.1")
            self.assertFalse(self.Code.search_count([("phone", "=", PHONE)]))
            self.params.set_param(f"auth_phone_otp.{wrong_secret}", good)
