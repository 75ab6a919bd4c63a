"""Requests at once, through the server the test run starts.

Each request has its own database connection and its own REPEATABLE READ
transaction, and Odoo retries it on a serialization failure
(``odoo.service.model.retrying``): what production does, which an HttpCase
(one shared test cursor) cannot show. What the requests commit is removed
afterwards.
"""

import itertools
import re
import threading
import time
from unittest.mock import patch

import requests

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import TransactionCase, tagged
from odoo.tests.common import HOST
from odoo.tools import config, mute_logger

from ..models.sms_provider import AliyunSmsProvider
from .sms_simulator import SmsSimulator

# numbers of their own: the committed rows are found and removed by them
SEND_PHONE = "+8613900077001"
VERIFY_PHONE = "+8613900077002"
IP = "203.0.113.77"
# +86139000771NN: the numbers asked for from one address
IP_PHONES = "+86139000771"
CONCURRENCY = 10


@tagged("post_install", "-at_install")
class TestPhoneOtpRaces(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.base_url = f"http://{HOST}:{config['http_port']}"
        cls.Code = type(cls.env["auth.phone.otp.code"])
        cls._remove_data()
        cls.addClassCleanup(cls._remove_data)
        # The test runner holds the registries' lock, which each request of
        # the server takes to find its registry: released as HttpCase does
        # (Registry.enter_test_mode), but without its shared test cursor.
        cls.startClassPatcher(patch.object(Registry, "_lock", DummyRLock()))

    @classmethod
    def _remove_data(cls):
        with cls.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM auth_phone_otp_code WHERE phone IN %s OR phone LIKE %s",
                [(SEND_PHONE, VERIFY_PHONE), f"{IP_PHONES}%"],
            )
            cr.execute(
                "DELETE FROM auth_phone_otp_throttle WHERE key IN %s OR key LIKE %s",
                [
                    (f"phone:{SEND_PHONE}", f"phone:{VERIFY_PHONE}", f"ip:{HOST}", f"ip:{IP}"),
                    f"phone:{IP_PHONES}%",
                ],
            )

    def _sms_service(self):
        """The SMS simulator as the configured service, for every request of the server."""
        simulator = SmsSimulator(delay=0.3).start()  # slow, as a real service: the race is open
        self.addCleanup(simulator.stop)
        provider = AliyunSmsProvider(
            simulator.aliyun_key_id,
            simulator.aliyun_key_secret,
            simulator.aliyun_sign_name,
            simulator.aliyun_template_code,
            endpoint=simulator.url,
        )
        self.startPatcher(
            patch.object(self.Code, "_sms_provider", lambda self: ("aliyun", provider))
        )
        return simulator

    def _at_once(self, prepare, send):
        """``prepare()`` CONCURRENCY times, one after the other, then
        ``send(prepared)`` for each in its thread, all at the same moment;
        returns the answers."""
        prepared = [prepare() for _n in range(CONCURRENCY)]
        barrier = threading.Barrier(CONCURRENCY)
        answers = []
        errors = []

        def run(value):
            try:
                barrier.wait(30)
                answers.append(send(value))
            except Exception as error:  # noqa: BLE001 — reported to the test
                errors.append(error)

        threads = [threading.Thread(target=run, args=(value,)) for value in prepared]
        # Odoo logs each serialization failure it retries
        with mute_logger("odoo.sql_db", "odoo.service.model", "odoo.http"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        self.assertFalse(errors)
        self.assertEqual(len(answers), CONCURRENCY)
        return answers

    def _set_param(self, key, value):
        """Commit a setting for the server's requests, and restore it afterwards."""
        with self.registry.cursor() as cr:
            params = api.Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"]
            old = params.get_param(key)
            params.set_param(key, value)
        self.addCleanup(self._restore_param, key, old)

    def _restore_param(self, key, value):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"].set_param(key, value)

    def _codes(self, phone):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, COALESCE(attempts, 0) FROM auth_phone_otp_code"
                " WHERE phone = %s ORDER BY id",
                [phone],
            )
            return cr.fetchall()

    def test_codes_asked_at_once_send_one_message(self):
        simulator = self._sms_service()

        def send(session):
            response = session.post(
                f"{self.base_url}/web/login/phone/send",
                json={"jsonrpc": "2.0", "method": "call", "params": {"phone": SEND_PHONE}},
                timeout=120,
            )
            return response.json()["result"]

        answers = self._at_once(requests.Session, send)
        self.assertEqual(len(simulator.sent), 1, "one text message")
        self.assertEqual(sum(1 for answer in answers if "error" not in answer), 1)
        self.assertEqual(self._codes(SEND_PHONE), [("pending", 0)], "one code")

    def test_codes_asked_at_once_from_one_address_keep_its_limit(self):
        simulator = self._sms_service()
        self._set_param("auth_phone_otp.max_per_ip_hour", "3")
        numbers = itertools.count(10)

        def send(number):
            response = requests.post(
                f"{self.base_url}/web/login/phone/send",
                json={"jsonrpc": "2.0", "method": "call", "params": {"phone": number}},
                timeout=120,
            )
            answer = response.json()
            return answer.get("result") or answer

        answers = self._at_once(lambda: f"{IP_PHONES}{next(numbers)}", send)
        self.assertEqual(len(simulator.sent), 3, "three numbers, then the address's limit")
        self.assertEqual(sum(1 for answer in answers if "phone" in answer), 3)

    def test_wrong_codes_at_once_count_five_attempts(self):
        with (
            self.registry.cursor() as cr,
            patch.object(self.Code, "_generate_code", lambda s: "123456"),
        ):
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["auth.phone.otp.code"]._send_code(VERIFY_PHONE, IP)

        def prepare():
            session = requests.Session()
            page = session.get(f"{self.base_url}/web/login/phone", timeout=60).text
            return session, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

        def send(prepared):
            session, csrf = prepared
            response = session.post(
                f"{self.base_url}/web/login/phone",
                data={"csrf_token": csrf, "phone": VERIFY_PHONE, "code": "000000"},
                allow_redirects=False,
                timeout=120,
            )
            return response.status_code, response.text

        hash_code = self.Code._hash

        def slow_hash(model, phone, value):
            time.sleep(0.05)  # every attempt is inside its transaction at once
            return hash_code(model, phone, value)

        with patch.object(self.Code, "_hash", slow_hash):
            answers = self._at_once(prepare, send)
        self.assertEqual({status for status, _text in answers}, {200}, "answered, not a 500")
        self.assertEqual(self._codes(VERIFY_PHONE), [("blocked", 5)], "five attempts, no more")
        counted = [text for _status, text in answers if "attempts left" in text]
        self.assertEqual(len(counted), 4)
        self.assertEqual(sum(1 for _s, text in answers if "Too many wrong codes" in text), 1)
