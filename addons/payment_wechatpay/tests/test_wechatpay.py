import base64
import html
import json
from unittest.mock import patch

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.payment_risk.tests.common import take_committed_events

from .. import utils as wechatpay_utils
from ..controllers.main import WeChatPayController
from ..models import payment_provider as provider_module
from .common import APP_ID, DESKTOP, IN_WECHAT, MCH_ID, PHONE, WeChatPayCommon
from .wechatpay_simulator import WeChatPaySimulator, new_rsa_key

NOTIFY = "/payment/wechatpay/notify"
PROVIDER_LOGGER = "odoo.addons.payment_wechatpay.models.payment_provider"
CONTROLLER_LOGGER = "odoo.addons.payment_wechatpay.controllers.main"
RISK_LOGGER = "odoo.addons.payment_risk.models.payment_risk_event"


@tagged("post_install", "-at_install")
class TestWeChatPay(WeChatPayCommon):
    def _checkout(self, user_agent, reference):
        """Start paying from the portal's payment form, in this browser."""
        self.opener.headers["User-Agent"] = user_agent
        values = self._prepare_transaction_values(self.payment_method_id, None, "redirect")
        values["reference_prefix"] = reference
        processing_values = self._get_processing_values(**values)
        form = self._extract_values_from_html_form(processing_values["redirect_form_html"])
        tx = self.env["payment.transaction"].search([("reference", "=", reference)])
        return tx, form

    def test_native_qr_pay_and_repeated_notification(self):
        tx, form = self._checkout(DESKTOP, "SO-WX-001")
        self.assertEqual(tx.wechatpay_trade_type, "native")
        order = self.simulator.orders["SO-WX-001"]
        self.assertEqual((order["amount"]["total"], order["trade_type"]), (19900, "NATIVE"))
        self.assertTrue(tx.wechatpay_code_url.startswith("weixin://wxpay/bizpayurl?pr="))
        page = self.url_open(
            form["action"] + "?" + "&".join(f"{k}={v}" for k, v in form["inputs"].items())
        )
        # the QR code of WeChat Pay's code_url, drawn in the page
        qr_path = WeChatPayController._qr_svg(tx.wechatpay_code_url).split("<path", 1)[1]
        self.assertIn(qr_path[:400], page.text)
        self.assertIn("o_wechatpay_simulator", page.text, "test mode: the simulator's cashier")
        self.assertRegex(page.text, r"<title>(WeChat Pay|微信支付) \|", "the page's own title")
        self.assertEqual(self._pay("SO-WX-001"), 204)
        self.assertEqual(self._state(tx), "done")
        self.assertEqual(
            tx.provider_reference, self.simulator.orders["SO-WX-001"]["transaction_id"]
        )
        # WeChat Pay repeats its notification: answered 2xx, nothing changes
        changed = tx.last_state_change
        self.assertEqual(self.simulator.notify_transaction("SO-WX-001"), 204)
        self.assertEqual((self._state(tx), tx.last_state_change), ("done", changed))
        # a late NOTPAY or CLOSED does not undo a payment
        self.assertEqual(self.simulator.notify_transaction("SO-WX-001", trade_state="NOTPAY"), 204)
        self.assertEqual(self.simulator.notify_transaction("SO-WX-001", trade_state="CLOSED"), 204)
        self.assertEqual(self._state(tx), "done")

    def test_checkout_kind_follows_the_browser_and_the_merchant(self):
        # a phone browser: WeChat Pay's H5 page, which sends the shopper back
        tx, form = self._checkout(PHONE, "SO-WX-010")
        self.assertEqual(tx.wechatpay_trade_type, "h5")
        self.assertTrue(form["action"].startswith(self.simulator.base_url))
        return_url = form["inputs"]["redirect_url"]
        self.assertIn("/payment/wechatpay/return?reference=SO-WX-010", return_url)
        self.assertEqual(self.simulator.orders["SO-WX-010"]["trade_type"], "MWEB")
        # inside WeChat, for a shopper signed in with WeChat: pay in place (JSAPI)
        shopper = self._create_wechat_shopper()
        self.authenticate(shopper.login, shopper.login)
        self.partner = shopper.partner_id
        tx, form = self._checkout(IN_WECHAT, "SO-WX-011")
        self.assertEqual(tx.wechatpay_trade_type, "jsapi")
        self.assertEqual(self.simulator.orders["SO-WX-011"]["payer"]["openid"], "o-WX-SHOPPER-1")
        query = "&".join(f"{k}={v}" for k, v in form["inputs"].items())
        page = self.url_open(f"{form['action']}?{query}")
        parameters = json.loads(self._jsapi_parameters(page.text))
        self.assertEqual(parameters["appId"], APP_ID)
        self.assertEqual(parameters["package"], f"prepay_id={tx.wechatpay_prepay_id}")
        # WeChat checks paySign with the merchant's public key
        signed = (
            "\n".join(
                [
                    parameters["appId"],
                    parameters["timeStamp"],
                    parameters["nonceStr"],
                    parameters["package"],
                ]
            )
            + "\n"
        )
        serialization.load_pem_public_key(self.merchant_public.encode()).verify(
            base64.b64decode(parameters["paySign"]),
            signed.encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
        # the merchant has no H5 pay: phones get the QR code (long press in WeChat)
        self.provider.wechatpay_checkout = "no_h5"
        self.env.flush_all()
        tx, form = self._checkout(PHONE, "SO-WX-012")
        self.assertEqual(tx.wechatpay_trade_type, "native")
        self.provider.wechatpay_checkout = "native"
        self.env.flush_all()
        tx, form = self._checkout(IN_WECHAT, "SO-WX-013")
        self.assertEqual(tx.wechatpay_trade_type, "native")

    def _create_wechat_shopper(self):
        shopper = self.env["res.users"].create(
            {
                "name": "微信顾客",
                "login": "wx_shopper_pay",
                "password": "wx_shopper_pay",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.env["auth.wechat.identity"].sudo().create(
            {
                "user_id": shopper.id,
                "app_kind": "official_account",
                "appid": APP_ID,
                "openid": "o-WX-SHOPPER-1",
            }
        )
        self.env.flush_all()
        return shopper

    @staticmethod
    def _jsapi_parameters(page):
        start = page.index('data-jsapi="') + len('data-jsapi="')
        return html.unescape(page[start : page.index('"', start)])

    @mute_logger(CONTROLLER_LOGGER, RISK_LOGGER)
    def test_forged_tampered_and_replayed_notifications(self):
        tx = self._open_order("SO-WX-020")
        notify_url = self.simulator.orders["SO-WX-020"]["notify_url"]
        resource = dict(self.simulator.transaction_resource("SO-WX-020"), trade_state="SUCCESS")

        def post(headers, body):
            self.env.flush_all()
            return requests.post(notify_url, data=body.encode(), headers=headers, timeout=20)

        # signed with a key that is not WeChat Pay's
        forger = WeChatPaySimulator(MCH_ID, APP_ID, self.merchant_public, "X", self.apiv3_key)
        forger.public_key_id = self.simulator.public_key_id
        self.assertEqual(
            post(
                *forger.signed_notification(
                    "TRANSACTION.SUCCESS", "transaction", resource, "支付成功"
                )
            ).status_code,
            401,
        )
        # WeChat Pay's signature, over another body
        headers, body = self.simulator.signed_notification(
            "TRANSACTION.SUCCESS", "transaction", resource, "支付成功"
        )
        tampered = json.loads(body)
        tampered["summary"] = "支付成功!"
        self.assertEqual(post(headers, json.dumps(tampered)).status_code, 401)
        # a notification of last hour, replayed
        old_headers, old_body = self.simulator.signed_notification(
            "TRANSACTION.SUCCESS",
            "transaction",
            resource,
            "支付成功",
            timestamp=int(headers["Wechatpay-Timestamp"]) - 3600,
        )
        self.assertEqual(post(old_headers, old_body).status_code, 401)
        # validly signed, but not this amount, not this merchant, not our order
        self.assertEqual(
            self.simulator.notify_transaction(
                "SO-WX-020",
                trade_state="SUCCESS",
                amount={"total": 1, "payer_total": 1, "currency": "CNY", "payer_currency": "CNY"},
            ),
            400,
        )
        self.assertEqual(
            self.simulator.notify_transaction(
                "SO-WX-020", trade_state="SUCCESS", mchid="1900000999"
            ),
            400,
        )
        self.assertEqual(
            self.simulator.post_notification(
                notify_url,
                "TRANSACTION.SUCCESS",
                "transaction",
                dict(resource, out_trade_no="SO-NOBODY"),
                "支付成功",
            ),
            404,
        )
        self.assertEqual(
            post({"Content-Type": "application/json"}, body).status_code, 401, "unsigned"
        )
        self.assertNotEqual(self._state(tx), "done", "no paid order without money")
        events = self.env["payment.risk.event"].search([("provider_code", "=", "wechatpay")])
        self.assertEqual(
            sorted(events.mapped("kind")),
            ["amount_mismatch", "bad_signature", "merchant_mismatch", "unknown_transaction"],
        )
        forged = events.filtered(lambda event: event.kind == "bad_signature")
        self.assertEqual(forged.occurrences, 4, "one event for the same address, counted")
        self.assertTrue(all(event.activity_ids for event in events), "a to-do each")
        # the real one still works
        self.assertEqual(post(headers, body).status_code, 204)
        self.assertEqual(self._state(tx), "done")

    @mute_logger(PROVIDER_LOGGER, CONTROLLER_LOGGER)
    def test_return_before_notification_asks_wechatpay(self):
        tx = self._open_order("SO-WX-030")
        self.simulator.pay("SO-WX-030", notify=False)  # paid; the notification is late
        token = tx._wechatpay_access_token()
        return_url = f"/payment/wechatpay/return?reference=SO-WX-030&access_token={token}"
        self.simulator.fail_next = 1  # the gateway answers 500 once
        self.url_open(return_url)
        self.assertNotEqual(self._state(tx), "done", "a failed query leaves it waiting")
        self.url_open(return_url)
        self.assertEqual(self._state(tx), "done", "the query says paid")
        # someone else's reference without its token: nothing is read or asked
        other = self._open_order("SO-WX-031")
        asked = len(self.simulator.received)
        response = self.url_open("/payment/wechatpay/return?reference=SO-WX-031&access_token=x")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(len(self.simulator.received), asked)
        self.assertEqual(self._state(other), "draft")

    @mute_logger(PROVIDER_LOGGER, CONTROLLER_LOGGER, RISK_LOGGER)
    def test_partial_and_repeated_refunds(self):
        tx = self._open_order("SO-WX-040")
        self._pay("SO-WX-040")
        self.assertEqual(self._state(tx), "done")
        first = tx._send_refund_request(amount_to_refund=50.0)
        self.assertEqual(
            (first.state, first.amount), ("pending", -50.0), "WeChat Pay is processing"
        )
        self.env.flush_all()
        self.assertEqual(self.simulator.finish_refund(first.reference), 204)
        self.assertEqual(self._state(first), "done")
        self.assertEqual(
            first.provider_reference, self.simulator.refunds[first.reference]["refund_id"]
        )
        self.assertEqual(self.simulator.finish_refund(first.reference), 204, "repeated: 2xx")
        self.assertEqual(self._state(first), "done")
        # the buyer's card was cancelled: the refund cannot arrive, a manager settles it
        second = tx._send_refund_request(amount_to_refund=100.0)
        self.env.flush_all()
        self.assertEqual(self.simulator.finish_refund(second.reference, status="ABNORMAL"), 204)
        self.assertEqual(self._state(second), "error")
        self.assertIn("refund_refused", self.env["payment.risk.event"].search([]).mapped("kind"))
        # more than is left (the abnormal refund gave its 100 back): refused before
        # WeChat Pay is asked, and flagged
        asked = len(self.simulator.received)
        with self.assertRaisesRegex(ValidationError, "149.0"):
            tx._send_refund_request(amount_to_refund=149.5)
        self.assertEqual(len(self.simulator.received), asked)
        refunds = self.env["payment.transaction"].search([("source_transaction_id", "=", tx.id)])
        self.assertEqual(len(refunds), 2, "nothing left behind")
        self.assertEqual(len(self._take_committed_events("refund_exceeds")), 1)
        # WeChat Pay refuses one (it has no such payment): flagged
        notify_url = self.simulator.orders["SO-WX-040"]["notify_url"]
        self.simulator.orders.pop("SO-WX-040")
        with self.assertRaisesRegex(ValidationError, "RESOURCE_NOT_EXISTS"):
            tx._send_refund_request(amount_to_refund=10.0)
        refused = self._take_committed_events("refund_refused")
        self.assertEqual(
            sorted(details.split(":")[0] for __, __, details in refused),
            ["WeChat Pay", "refund_status"],
            "the abnormal refund, and the refused one",
        )
        # a refund notification for a refund we never asked
        self.assertEqual(
            self.simulator.post_notification(
                notify_url,
                "REFUND.SUCCESS",
                "refund",
                {
                    "mchid": MCH_ID,
                    "out_trade_no": "SO-WX-040",
                    "out_refund_no": "R-SO-WX-040-9",
                    "refund_id": "50300000000000000",
                    "refund_status": "SUCCESS",
                    "amount": {
                        "total": 19900,
                        "refund": 19900,
                        "payer_total": 19900,
                        "payer_refund": 19900,
                    },
                },
                "退款成功",
            ),
            404,
        )

    @mute_logger(PROVIDER_LOGGER)
    def test_gateway_errors_leave_a_clear_state(self):
        tx = self._create_transaction("redirect", reference="SO-WX-050")
        self.simulator.fail_next = 1
        with self.assertRaisesRegex(ValidationError, "did not answer"):
            tx._get_specific_rendering_values({})
        self.assertFalse(tx.wechatpay_trade_type)
        # answers signed by someone else are not believed
        self.provider.wechatpay_public_key = WeChatPaySimulator(
            MCH_ID, APP_ID, self.merchant_public, "X", self.apiv3_key
        ).platform_public_key
        with self.assertRaisesRegex(ValidationError, "signature"):
            tx._get_specific_rendering_values({})
        # the merchant's own signature is checked by the gateway
        self.provider.wechatpay_private_key = new_rsa_key()[0]
        with self.assertRaisesRegex(ValidationError, "SIGN_ERROR"):
            tx._wechatpay_query()

    @mute_logger(PROVIDER_LOGGER, CONTROLLER_LOGGER)
    def test_gateway_timeout_then_the_query_settles_it(self):
        tx = self._open_order("SO-WX-055")
        self.simulator.pay("SO-WX-055", notify=False)
        self.simulator.answer_delay = 1.5
        with patch.object(wechatpay_utils, "TIMEOUT", (1, 0.5)):
            with self.assertRaisesRegex(ValidationError, "did not answer"):
                tx._wechatpay_query()
            self.assertEqual(tx.state, "draft", "no answer: nothing decided")
            self.simulator.answer_delay = 0
            tx._wechatpay_query()
        self.assertEqual(tx.state, "done")

    def _take_committed_events(self, kind):
        return take_committed_events(self.env, kind)

    def _age(self, *txs, minutes=40):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE payment_transaction SET create_date = now() at time zone 'UTC' "
            "- make_interval(mins => %s) WHERE id IN %s",
            [minutes, tuple(tx.id for tx in txs)],
        )
        self.env.invalidate_all()

    @mute_logger(PROVIDER_LOGGER)
    def test_unpaid_orders_are_closed_after_the_time_to_pay(self):
        Tx = self.env["payment.transaction"]
        waiting = self._open_order("SO-WX-060")
        never = self._create_transaction("redirect", reference="SO-WX-061")
        lost = self._open_order("SO-WX-062")
        self.simulator.pay("SO-WX-062", notify=False)  # paid, notification lost
        recent = self._open_order("SO-WX-063")
        down = self._open_order("SO-WX-064")
        self._age(waiting, never, lost, down)
        original = self.simulator.handle_api

        def handle_api(method, path, body, headers):
            if "SO-WX-064" in path:
                return 500, {"code": "SYSTEM_ERROR", "message": "系统错误"}
            return original(method, path, body, headers)

        with patch.object(self.simulator, "handle_api", handle_api):
            Tx._cron_close_expired_payments()
        self.assertEqual(self.simulator.orders["SO-WX-060"]["trade_state"], "CLOSED")
        self.assertEqual(waiting.state, "cancel")
        self.assertEqual(never.state, "cancel")
        self.assertEqual(lost.state, "done", "never money without an order")
        self.assertEqual(recent.state, "draft", "still within the time to pay")
        self.assertEqual(down.state, "draft", "left for the next run")
        Tx._cron_close_expired_payments()
        self.assertEqual(down.state, "cancel")

    @mute_logger(PROVIDER_LOGGER)
    def test_client_calls_its_gateway(self):
        """The SDK has no public way to choose its host: utils.set_gateway
        writes its private ``_gate_way``. If the SDK renames it, this fails
        (and the client refuses to be built) instead of calling WeChat Pay."""
        client = self.provider._wechatpay_client()
        status, __ = client.query(out_trade_no="SO-WX-099", mchid=MCH_ID)
        self.assertEqual(status, 404)
        self.assertIn("/v3/pay/transactions/out-trade-no/SO-WX-099", self.simulator.received[-1][1])

    def test_reference_fits_out_trade_no(self):
        Tx = self.env["payment.transaction"]
        self.assertEqual(
            Tx._compute_reference("wechatpay", prefix="INV/2025/00001"), "INV-2025-00001"
        )
        self.assertEqual(len(Tx._compute_reference("wechatpay", prefix="S" * 60)), 28)
        self.assertEqual(Tx._compute_reference("wechatpay", prefix="S1"), "S10000")


@tagged("post_install", "-at_install")
class TestWeChatPayCertificates(WeChatPayCommon):
    """Merchants still on platform certificates: downloaded, decrypted with
    the APIv3 key, kept, and refused once expired."""

    simulator_mode = "certificate"

    def setUp(self):
        super().setUp()
        provider_module._CERTIFICATES.clear()
        self.addCleanup(provider_module._CERTIFICATES.clear)

    @mute_logger(PROVIDER_LOGGER, CONTROLLER_LOGGER, RISK_LOGGER)
    def test_serial_with_leading_zeros(self):
        # WeChat Pay writes a serial as 40 hex digits; one that starts with
        # zeros is the same certificate as its number without them
        self.simulator.platform_serial = "00" + self.simulator.platform_serial
        tx = self._open_order("SO-WX-072")
        self.assertEqual(self._pay("SO-WX-072"), 204)
        self.assertEqual(self._state(tx), "done")

    @mute_logger(PROVIDER_LOGGER, CONTROLLER_LOGGER, RISK_LOGGER)
    def test_certificates_downloaded_kept_and_expired(self):
        tx = self._open_order("SO-WX-070")
        downloads = [r for r in self.simulator.received if r[1] == "/v3/certificates"]
        self.assertEqual(len(downloads), 1)
        self.assertEqual(self._pay("SO-WX-070"), 204)
        self.assertEqual(self._state(tx), "done")
        downloads = [r for r in self.simulator.received if r[1] == "/v3/certificates"]
        self.assertEqual(len(downloads), 1, "kept, not downloaded for each call")
        # the yearly renewal: a notification signed with the new certificate makes the
        # shop download them again (not more than once a minute)
        self.simulator.renew_certificate()
        self.assertEqual(self.simulator.notify_transaction("SO-WX-070"), 401, "just downloaded")
        key = next(iter(provider_module._CERTIFICATES))
        fetched_at, certificates = provider_module._CERTIFICATES[key]
        provider_module._CERTIFICATES[key] = (fetched_at - 120, certificates)
        self.assertEqual(self.simulator.notify_transaction("SO-WX-070"), 204)
        downloads = [r for r in self.simulator.received if r[1] == "/v3/certificates"]
        self.assertEqual(len(downloads), 2)
        # WeChat Pay signs with a certificate that has expired: nothing is believed
        self.simulator.expire_certificate()
        provider_module._CERTIFICATES.clear()
        other = self._create_transaction("redirect", reference="SO-WX-071")
        with self.assertRaisesRegex(ValidationError, "platform certificate"):
            other._get_specific_rendering_values({})
        self.assertEqual(self.simulator.notify_transaction("SO-WX-070"), 500, "retried later")
