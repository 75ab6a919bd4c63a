from unittest.mock import patch
from urllib.parse import urlencode, urlsplit

import requests

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import config, mute_logger

from odoo.addons.payment.tests.http_common import PaymentHttpCommon

from .. import const
from ..models.payment_provider import AlipayRefused
from .alipay_simulator import AlipaySimulator, new_rsa_key, unsigned_string

APP_ID = "2021004100000001"


@tagged("post_install", "-at_install")
class TestAlipay(PaymentHttpCommon):
    """Alipay through the local gateway simulator, with keys made here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.app_private, cls.app_public = new_rsa_key()
        cls.currency = cls._prepare_currency("CNY")
        cls.amount = 199.00
        cls.provider = cls._prepare_provider(
            "alipay",
            update_values={
                "alipay_app_id": APP_ID,
                "alipay_app_private_key": cls.app_private,
                # replaced by each test's simulator's own key
                "alipay_public_key": new_rsa_key()[1],
            },
        )
        cls.payment_method_id = cls.env.ref("payment.payment_method_alipay").id

    # the key mode of the provider and the simulator (TestAlipayCertificateMode)
    certificate_mode = False

    def setUp(self):
        super().setUp()
        self.simulator = AlipaySimulator(
            APP_ID, self.app_public, certificate_mode=self.certificate_mode
        ).start()
        self.addCleanup(self.simulator.stop)
        values = {
            "alipay_app_id": APP_ID,
            "alipay_app_private_key": self.app_private,
            "alipay_public_key": self.simulator.alipay_public_key,
            "alipay_gateway_url": self.simulator.gateway,
            "alipay_key_mode": "public_key",
            "state": "test",
        }
        if self.certificate_mode:
            values.update(
                {
                    "alipay_key_mode": "certificate",
                    # the certificate's key verifies Alipay, not this one
                    "alipay_public_key": new_rsa_key()[1],
                    "alipay_app_cert": self.simulator.app_cert,
                    "alipay_public_cert": self.simulator.alipay_cert,
                    "alipay_root_cert": self.simulator.root_cert,
                }
            )
        self.provider.write(values)
        # the server's requests come from the simulator, not url_open: flush first
        self.env.flush_all()

    def _state(self, tx):
        # the server's thread wrote it: read it afresh
        tx.invalidate_recordset()
        return tx.state

    def _pay(self, tx, pay=True):
        """Open the signed cashier request on the simulator, and pay."""
        values = tx._get_specific_rendering_values({})
        self.assertEqual(values["api_url"], self.simulator.gateway)
        query = dict(values["url_params"], **({"simulate": "pay"} if pay else {}))
        self.env.flush_all()
        return requests.get(
            f"{values['api_url']}?{urlencode(query)}", allow_redirects=False, timeout=20
        )

    def test_pay_notification_and_return(self):
        tx = self._create_transaction("redirect", reference="SO-ALI-001")
        cashier = self._pay(tx, pay=False)
        self.assertIn("确认付款", cashier.text, "the merchant's signature was accepted")
        back = self._pay(tx)
        self.assertEqual(back.status_code, 302)
        url, params, answer = self.simulator.notifications[-1]
        self.assertEqual(answer, "success")
        self.assertEqual(self._state(tx), "done")
        self.assertEqual(tx.provider_reference, self.simulator.trades["SO-ALI-001"]["trade_no"])
        # the shopper comes back: nothing more to do
        response = self.url_open(back.headers["Location"])
        self.assertEqual(response.status_code, 200)
        # Alipay repeats its notification: the same answer, nothing changes
        changed = tx.last_state_change
        self.env.flush_all()
        self.assertEqual(self.simulator.notify("SO-ALI-001"), "success")
        self.assertEqual((self._state(tx), tx.last_state_change), ("done", changed))

    def test_forged_and_tampered_notifications(self):
        tx = self._create_transaction("redirect", reference="SO-ALI-002")
        self._pay(tx, pay=False)
        notify_url = self.simulator.trades["SO-ALI-002"]["notify_url"]
        fields = self.simulator.notification_fields("SO-ALI-002", trade_status="TRADE_SUCCESS")

        def post(params):
            self.env.flush_all()
            return requests.post(notify_url, data=params, timeout=10).text

        # signed by someone else's key
        forger = AlipaySimulator(APP_ID, self.app_public)
        self.assertEqual(post(forger.signed_notification(fields)), "fail")
        # Alipay's signature, then a cheaper amount written over it
        signed = self.simulator.signed_notification(fields)
        self.assertEqual(post(dict(signed, total_amount="0.01")), "fail")
        # validly signed, but not this amount, not this app, not our trade
        self.assertEqual(self.simulator.notify("SO-ALI-002", total_amount="1.00"), "fail")
        self.assertEqual(self.simulator.notify("SO-ALI-002", app_id="2021000000000000"), "fail")
        unknown = self.simulator.signed_notification(dict(fields, out_trade_no="SO-NOBODY"))
        self.assertEqual(post(unknown), "fail")
        self.assertEqual(post({"out_trade_no": "SO-ALI-002"}), "fail", "no signature")
        self.assertNotEqual(self._state(tx), "done", "no paid order without money")
        # each was flagged for a manager, with a to-do
        events = self.env["payment.risk.event"].search([("provider_code", "=", "alipay")])
        self.assertEqual(
            sorted(events.mapped("kind")),
            ["amount_mismatch", "bad_signature", "merchant_mismatch", "unknown_transaction"],
        )
        forged = events.filtered(lambda event: event.kind == "bad_signature")
        self.assertEqual(forged.occurrences, 3, "one event for the same address, counted")
        self.assertNotIn("sign", events[0].details or "", "no signature copied around")
        self.assertTrue(all(event.activity_ids for event in events), "a to-do each")
        # the real one still works
        self.assertEqual(post(signed), "success")
        self.assertEqual(self._state(tx), "done")

    @mute_logger("odoo.addons.payment_risk.models.payment_risk_event")
    def test_a_flood_of_forged_notifications_is_one_event(self):
        """Forged notifications about made-up trades, from fifty addresses,
        are checked before anything is recorded about a trade: one event,
        counted, and one to-do."""
        tx = self._create_transaction("redirect", reference="SO-ALI-009")
        self._pay(tx, pay=False)
        notify_url = self.simulator.trades["SO-ALI-009"]["notify_url"]
        forger = AlipaySimulator(APP_ID, self.app_public)
        self.env.flush_all()
        # behind a proxy, as in production: the address is X-Forwarded-For's
        with patch.dict(config.options, proxy_mode=True):
            for n in range(50):
                fields = dict(
                    self.simulator.notification_fields("SO-ALI-009", trade_status="TRADE_SUCCESS"),
                    out_trade_no=f"SO-FORGED-{n}",
                )
                params = forger.signed_notification(fields) if n % 2 else fields
                headers = {
                    "X-Forwarded-For": f"198.51.100.{n}",
                    "X-Forwarded-Host": urlsplit(notify_url).netloc,
                }
                answer = requests.post(notify_url, data=params, headers=headers, timeout=10)
                self.assertEqual(answer.text, "fail")
        events = self.env["payment.risk.event"].search([("provider_code", "=", "alipay")])
        self.assertEqual(events.mapped("kind"), ["bad_signature"], "nothing about a trade")
        self.assertEqual(events.occurrences, 50)
        self.assertFalse(events.reference or events.transaction_id)
        self.assertNotIn("SO-FORGED", events.details or "")
        self.assertEqual(events.ip_address, "198.51.100.0", "the first address")
        self.assertEqual(len(events.activity_ids), 1, "one to-do")
        # Alipay's own notification still goes through
        self._pay(tx)
        self.assertEqual(self.simulator.notifications[-1][2], "success")
        self.assertEqual(self._state(tx), "done")

    @mute_logger("odoo.addons.payment_alipay.models.payment_provider")
    def test_return_before_notification_asks_alipay(self):
        tx = self._create_transaction("redirect", reference="SO-ALI-003")
        self._pay(tx, pay=False)
        trade = self.simulator.trades["SO-ALI-003"]
        # paid, but the notification is late; the return alone proves nothing
        trade["status"] = "TRADE_SUCCESS"
        back = self.simulator.signed_notification(
            {"app_id": APP_ID, "out_trade_no": "SO-ALI-003", "total_amount": "199.00"}
        )
        return_url = trade["return_url"]
        self.simulator.fail_next = 1  # the gateway answers 502 once
        self.url_open(f"{return_url}?{urlencode(back)}")
        self.assertNotEqual(self._state(tx), "done", "a failed query leaves it waiting")
        self.url_open(f"{return_url}?{urlencode(back)}")
        self.assertEqual(tx.state, "done", "the query says paid")
        # a return with a forged signature is not even queried
        tx2 = self._create_transaction("redirect", reference="SO-ALI-004")
        self._pay(tx2, pay=False)
        self.simulator.trades["SO-ALI-004"]["status"] = "TRADE_SUCCESS"
        forged = dict(back, out_trade_no="SO-ALI-004")
        self.url_open(f"{return_url}?{urlencode(forged)}")
        self.assertNotEqual(self._state(tx2), "done")
        self.assertNotIn(
            "SO-ALI-004",
            [
                p.get("biz_content", "")
                for p in self.simulator.received
                if "query" in p.get("method", "")
            ][-1:],
        )

    def test_partial_and_repeated_refunds(self):
        tx = self._create_transaction("redirect", reference="SO-ALI-005")
        self._pay(tx)
        self.assertEqual(self._state(tx), "done")
        first = tx._send_refund_request(amount_to_refund=50.0)
        self.assertEqual((first.state, first.amount), ("done", -50.0))
        second = tx._send_refund_request(amount_to_refund=100.0)
        self.assertEqual(second.state, "done")
        self.assertEqual(self.simulator.trades["SO-ALI-005"]["refunded"], 150.0)
        # more than is left: refused before Alipay is asked
        with self.assertRaisesRegex(ValidationError, "49.0"):
            tx._send_refund_request(amount_to_refund=60.0)
        self.assertEqual(self.simulator.trades["SO-ALI-005"]["refunded"], 150.0)
        # Alipay refuses one (it says more was refunded there): refused and flagged
        self.simulator.trades["SO-ALI-005"]["refunded"] = 199.0
        with self.assertRaisesRegex(ValidationError, "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"):
            tx._send_refund_request(amount_to_refund=20.0)
        refused = self.env["payment.risk.event"].search([("kind", "=", "refund_refused")])
        self.assertIn("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", refused.details)

    def test_merchant_signature_is_checked_by_the_gateway(self):
        tx = self._create_transaction("redirect", reference="SO-ALI-006")
        values = tx._get_specific_rendering_values({})
        params = dict(values["url_params"])
        params["biz_content"] = params["biz_content"].replace("199.00", "0.01")
        answer = requests.get(f"{values['api_url']}?{urlencode(params)}", timeout=10)
        self.assertIn("isv.invalid-signature", answer.text)
        self.assertEqual(unsigned_string({"b": "2", "a": "1", "sign": "x"}), "a=1&b=2")

    def test_client_on_the_provider_gateway(self):
        """The SDK chooses Alipay's gateway from ``debug`` alone: its public
        verified_sync_response, overridden in utils, sends to the provider's."""
        client = self.provider._alipay_client()
        self.assertEqual(client.gateway_url, self.simulator.gateway)
        with self.assertRaisesRegex(ValidationError, "ACQ.TRADE_NOT_EXIST"):
            self.provider._alipay_call("api_alipay_trade_query", out_trade_no="SO-ALI-099")
        self.assertIn("alipay.trade.query", self.simulator.received[-1].get("method"))
        self.provider.alipay_gateway_url = False
        self.assertEqual(self.provider._alipay_client().gateway_url, const.GATEWAY_URLS["test"])

    @mute_logger("odoo.addons.payment_alipay.models.payment_provider")
    def test_transfers_need_the_certificate_mode(self):
        """Alipay serves 单笔转账 to an app in certificate mode only."""
        biz_content = {
            "out_biz_no": "W-0001",
            "trans_amount": "1.00",
            "product_code": "TRANS_ACCOUNT_NO_PWD",
            "biz_scene": "DIRECT_TRANSFER",
            "payee_info": {"identity": "13800138000", "identity_type": "ALIPAY_LOGON_ID"},
        }
        expected = (
            "PAYEE_NOT_EXIST" if self.certificate_mode else "isv.insufficient-isv-permissions"
        )
        with self.assertRaisesRegex(AlipayRefused, expected) as refused:
            self.provider._alipay_call(
                "server_api", api_name="alipay.fund.trans.uni.transfer", biz_content=biz_content
            )
        self.assertEqual(refused.exception.sub_code, expected, "a signed answer, trusted")
        self.assertFalse(self.simulator.transfers)

    def _age(self, *txs, minutes=40):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE payment_transaction SET create_date = now() at time zone 'UTC' "
            "- make_interval(mins => %s) WHERE id IN %s",
            [minutes, tuple(tx.id for tx in txs)],
        )
        self.env.invalidate_all()

    @mute_logger("odoo.addons.payment_alipay.models.payment_provider")
    def test_unpaid_trades_are_closed_after_the_time_to_pay(self):
        Tx = self.env["payment.transaction"]
        waiting = self._create_transaction("redirect", reference="SO-ALI-010")
        self._pay(waiting, pay=False)  # the cashier opened, nothing paid
        never = self._create_transaction("redirect", reference="SO-ALI-011")
        lost = self._create_transaction("redirect", reference="SO-ALI-012")
        self._pay(lost, pay=False)
        # paid at Alipay, but its notification never arrived
        self.simulator.trades["SO-ALI-012"]["status"] = "TRADE_SUCCESS"
        recent = self._create_transaction("redirect", reference="SO-ALI-013")
        down = self._create_transaction("redirect", reference="SO-ALI-014")
        self._pay(down, pay=False)
        self._age(waiting, never, lost, down)
        self.simulator.fail_next = 0
        # the gateway is down for the last one only: close it next time
        original = self.simulator.handle

        def handle(params):
            if "SO-ALI-014" in params.get("biz_content", ""):
                return 502, "text/plain", "Bad Gateway", None
            return original(params)

        self.simulator.handle = handle
        Tx._cron_close_expired_payments()
        self.assertEqual(self.simulator.trades["SO-ALI-010"]["status"], "TRADE_CLOSED")
        self.assertEqual(waiting.state, "cancel")
        self.assertEqual(never.state, "cancel")
        self.assertEqual(lost.state, "done", "never money without an order")
        self.assertEqual(recent.state, "draft", "still within the time to pay")
        self.assertEqual(down.state, "draft", "left for the next run")
        self.simulator.handle = original
        Tx._cron_close_expired_payments()
        self.assertEqual(down.state, "cancel")
