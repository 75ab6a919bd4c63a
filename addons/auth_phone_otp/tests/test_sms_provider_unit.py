"""The SMS providers, with the real SDKs, against the local simulator of Aliyun and
Tencent Cloud SMS. No Odoo database:

    python3 -m pytest addons/auth_phone_otp/tests/test_sms_provider_unit.py -p no:odoo
    python3 -m unittest addons/auth_phone_otp/tests/test_sms_provider_unit.py
"""

import importlib.util
import json
import logging
import socket
import sys
import types
import unittest
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

_HERE = Path(__file__).resolve().parent


# The addon's pure modules, as a package of their own, so that their relative
# imports (sms_provider -> utils -> const) work without Odoo.
_PURE_PACKAGE = "auth_phone_otp_pure"
if _PURE_PACKAGE not in sys.modules:
    _package = types.ModuleType(_PURE_PACKAGE)
    _package.__path__ = [str(_HERE.parent)]
    sys.modules[_PURE_PACKAGE] = _package


def _load(name, path):
    # By path: the addon need not be on an Odoo addons path for these tests.
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


if __name__.startswith("odoo.addons."):
    # Imported by Odoo's test runner (from tests/__init__.py), which only runs BaseCase
    # tests; BaseCase lets requests reach 127.0.0.1 and needs no database.
    from odoo.tests import BaseCase as TestCase
else:
    TestCase = unittest.TestCase

sms_provider = _load(
    f"{_PURE_PACKAGE}.models.sms_provider", _HERE.parent / "models" / "sms_provider.py"
)
sms_simulator = _load("auth_phone_otp_sms_simulator", _HERE / "sms_simulator.py")
SmsError = sms_provider.SmsError

PHONE = "+8613812345678"
OTHER_PHONE = "+8613987654321"


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _SimulatorCase(TestCase):
    def setUp(self):
        super().setUp()
        self.sim = sms_simulator.SmsSimulator(limit_per_phone=2).start()
        self.addCleanup(self.sim.stop)

    def assertSmsError(self, code, phone=PHONE, provider=None):
        with self.assertRaises(SmsError) as caught:
            (provider or self.provider()).send_code(phone, "123456")
        self.assertEqual(caught.exception.code, code, caught.exception.message)
        return caught.exception

    def replay(self, request, query=None, headers=(), body=None):
        """Send a captured request again, with some parts changed."""
        raw_headers = [
            (name, dict(headers).get(name.lower(), value)) for name, value in request["raw_headers"]
        ]
        query = request["query"] if query is None else query
        body = request["body"] if body is None else body
        path = request["path"] + (f"?{query}" if query else "")
        return self.sim.send_raw(request["method"], path, raw_headers, body)


class TestAliyunSmsProvider(_SimulatorCase):
    def provider(self, **kw):
        sim = self.sim
        args = dict(
            access_key_id=sim.aliyun_key_id,
            access_key_secret=sim.aliyun_key_secret,
            sign_name=sim.aliyun_sign_name,
            template_code=sim.aliyun_template_code,
            endpoint=sim.url,
        )
        return sms_provider.AliyunSmsProvider(**dict(args, **kw))

    def test_success(self):
        biz_id = self.provider().send_code(PHONE, "123456")
        self.assertEqual(len(self.sim.sent), 1)
        sent = self.sim.sent[0]
        self.assertEqual(sent["id"], biz_id)
        self.assertEqual(sent["phone"], "13812345678")  # without +86
        self.assertEqual(sent["code"], "123456")
        self.assertEqual(self.sim.last_code(PHONE), "123456")
        self.assertEqual((sent["sign_name"], sent["template"]), ("分销商城", "SMS_465300001"))
        query = dict(parse_qsl(self.sim.received[0]["query"]))
        self.assertEqual(query["TemplateParam"], '{"code":"123456"}')
        # The SDK signs with ACS3 (header), not the legacy Signature parameter.
        self.assertTrue(
            self.sim.received[0]["headers"]["authorization"].startswith("ACS3-HMAC-SHA256 ")
        )
        self.assertNotIn("Signature", query)

    def test_wrong_secret(self):
        error = self.assertSmsError(
            "SignatureDoesNotMatch", provider=self.provider(access_key_secret="not-the-secret")
        )
        self.assertIn("does not match", error.message)
        self.assertEqual(self.sim.sent, [])

    def test_unknown_key_id(self):
        self.assertSmsError(
            "InvalidAccessKeyId.NotFound", provider=self.provider(access_key_id="LTAI5tUnknown")
        )
        self.assertEqual(self.sim.sent, [])

    def test_bad_number(self):
        self.assertSmsError("isv.MOBILE_NUMBER_ILLEGAL", phone="+861381234567")
        self.assertSmsError("isv.MOBILE_NUMBER_ILLEGAL", phone="+8612812345678")
        self.assertEqual(self.sim.sent, [])

    def test_unknown_template(self):
        self.assertSmsError("isv.SMS_TEMPLATE_ILLEGAL", provider=self.provider(template_code="X"))

    def test_rate_limit(self):
        provider = self.provider()
        provider.send_code(PHONE, "111111")
        provider.send_code(PHONE, "222222")
        self.assertSmsError("isv.BUSINESS_LIMIT_CONTROL")
        self.assertEqual(self.sim.last_code(PHONE), "222222")
        provider.send_code(OTHER_PHONE, "333333")  # the limit is per number
        self.assertEqual(self.sim.last_code(OTHER_PHONE), "333333")

    def test_tampered_request_rejected(self):
        self.provider().send_code(PHONE, "123456")
        request = self.sim.received[-1]
        # As captured: the signature holds, only the nonce is spent.
        status, body = self.replay(request)
        self.assertEqual((status, body["Code"]), (400, "SignatureNonceUsed"))
        # Another number in the signed query.
        query = urlencode(
            dict(parse_qsl(request["query"]), PhoneNumbers="13987654321"), encoding="utf-8"
        )
        status, body = self.replay(request, query=query)
        self.assertEqual((status, body["Code"]), (400, "SignatureDoesNotMatch"))
        # A fresh nonce under the old signature.
        status, body = self.replay(request, headers={"x-acs-signature-nonce": "0" * 32})
        self.assertEqual((status, body["Code"]), (400, "SignatureDoesNotMatch"))
        self.assertEqual([m["phone"] for m in self.sim.sent], ["13812345678"])

    def test_timeout(self):
        self.sim.delay = 2
        error = self.assertSmsError("NetworkError", provider=self.provider(timeout=0.5))
        self.assertIn("timed out", error.message)

    def test_no_server(self):
        provider = self.provider(endpoint=f"http://127.0.0.1:{_closed_port()}")
        self.assertSmsError("NetworkError", provider=provider)

    def test_default_endpoint(self):
        provider = sms_provider.AliyunSmsProvider("id", "secret", "sign", "SMS_1")
        self.assertEqual((provider.protocol, provider.host), ("https", "dysmsapi.aliyuncs.com"))


class TestTencentSmsProvider(_SimulatorCase):
    def provider(self, **kw):
        sim = self.sim
        args = dict(
            secret_id=sim.tencent_secret_id,
            secret_key=sim.tencent_secret_key,
            sdk_app_id=sim.tencent_sdk_app_id,
            sign_name=sim.tencent_sign_name,
            template_id=sim.tencent_template_id,
            endpoint=sim.url,
        )
        return sms_provider.TencentSmsProvider(**dict(args, **kw))

    def test_success(self):
        serial = self.provider().send_code(PHONE, "123456")
        self.assertEqual(len(self.sim.sent), 1)
        sent = self.sim.sent[0]
        self.assertEqual(sent["id"], serial)
        self.assertEqual((sent["phone"], sent["code"]), (PHONE, "123456"))
        self.assertEqual(self.sim.last_code(PHONE), "123456")
        body = json.loads(self.sim.received[0]["body"])
        self.assertEqual(body["PhoneNumberSet"], [PHONE])
        self.assertEqual(body["TemplateParamSet"], ["123456"])
        self.assertTrue(
            self.sim.received[0]["headers"]["authorization"].startswith("TC3-HMAC-SHA256 ")
        )

    def test_wrong_secret(self):
        self.assertSmsError(
            "AuthFailure.SignatureFailure", provider=self.provider(secret_key="not-the-key")
        )
        self.assertEqual(self.sim.sent, [])

    def test_unknown_key_id(self):
        self.assertSmsError(
            "AuthFailure.SecretIdNotFound", provider=self.provider(secret_id="AKIDunknown")
        )
        self.assertEqual(self.sim.sent, [])

    def test_bad_number(self):
        self.assertSmsError("InvalidParameterValue.IncorrectPhoneNumber", phone="+861381234567")
        self.assertEqual(self.sim.sent, [])

    def test_unknown_sign_name(self):
        self.assertSmsError(
            "FailedOperation.SignatureIncorrectOrUnapproved", provider=self.provider(sign_name="X")
        )

    def test_rate_limit(self):
        provider = self.provider()
        provider.send_code(PHONE, "111111")
        provider.send_code(PHONE, "222222")
        self.assertSmsError("LimitExceeded.PhoneNumberDailyLimit")
        self.assertEqual(self.sim.last_code(PHONE), "222222")
        provider.send_code(OTHER_PHONE, "333333")
        self.assertEqual(self.sim.last_code(OTHER_PHONE), "333333")

    def test_tampered_request_rejected(self):
        self.provider().send_code(PHONE, "123456")
        request = self.sim.received[-1]
        # As captured, the request is good (TC3 has no nonce): a second message.
        status, body = self.replay(request)
        self.assertEqual(status, 200)
        self.assertEqual(body["Response"]["SendStatusSet"][0]["Code"], "Ok")
        # Another number in the signed body.
        tampered = request["body"].replace(PHONE.encode(), OTHER_PHONE.encode())
        self.assertNotEqual(tampered, request["body"])
        status, body = self.replay(request, body=tampered)
        self.assertEqual(status, 200)
        self.assertEqual(body["Response"]["Error"]["Code"], "AuthFailure.SignatureFailure")
        # Another timestamp under the old signature.
        timestamp = str(int(request["headers"]["x-tc-timestamp"]) + 1)
        status, body = self.replay(request, headers={"x-tc-timestamp": timestamp})
        self.assertEqual(body["Response"]["Error"]["Code"], "AuthFailure.SignatureFailure")
        self.assertEqual([m["phone"] for m in self.sim.sent], [PHONE, PHONE])

    def test_timeout(self):
        self.sim.delay = 2
        error = self.assertSmsError("NetworkError", provider=self.provider(timeout=0.5))
        self.assertIn("timed out", error.message)

    def test_no_server(self):
        provider = self.provider(endpoint=f"http://127.0.0.1:{_closed_port()}")
        self.assertSmsError("NetworkError", provider=provider)

    def test_default_endpoint(self):
        provider = sms_provider.TencentSmsProvider("id", "key", "1400", "sign", "1")
        self.assertEqual((provider.protocol, provider.host), ("https", "sms.tencentcloudapi.com"))


class TestLogSmsProvider(TestCase):
    def test_logs_code(self):
        logger = logging.getLogger("auth_phone_otp.test_sms")
        with self.assertLogs(logger, logging.INFO) as logs:
            self.assertEqual(sms_provider.LogSmsProvider(logger).send_code(PHONE, "123456"), "log")
        self.assertEqual(logs.records[0].getMessage(), "SMS code for +86138****5678: 123456")


if __name__ == "__main__":
    # pytest cannot collect this file in place: it would import the addon's package,
    # whose models Odoo only accepts as odoo.addons.*. Run it as a script instead;
    # the last line is the plain "N passed, N failed" that CI reads.
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = f", {len(result.skipped)} skipped" if result.skipped else ""
    passed = result.testsRun - failed - len(result.skipped)
    sys.stdout.write(f"{passed} passed, {failed} failed{skipped}\n")
    sys.exit(1 if failed or not result.testsRun else 0)
