from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import TransactionCase

PHONE = "+8613900001234"


class PhoneOtpCase(TransactionCase):
    """Codes go to the log provider (allowed in tests) and the code the
    server draws is fixed by ``fixed_code``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Code = cls.env["auth.phone.otp.code"].sudo()
        params = cls.env["ir.config_parameter"].sudo()
        for key, value in {
            "provider": "log",
            "max_per_phone_hour": "3",
            "max_per_ip_hour": "5",
            "resend_seconds": "60",
        }.items():
            params.set_param(f"auth_phone_otp.{key}", value)
        params.set_param("auth_signup.invitation_scope", "b2c")
        # the website decides who may sign up
        cls.env["website"].search([]).auth_signup_uninvited = "b2c"

    @contextmanager
    def fixed_code(self, code):
        with patch.object(
            type(self.env["auth.phone.otp.code"]), "_generate_code", lambda self: code
        ):
            yield
