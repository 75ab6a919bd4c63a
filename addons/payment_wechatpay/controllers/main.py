import json
import logging
import re
from urllib.parse import quote

import qrcode
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment_risk.utils import parse_access_token, parse_reference

from .. import const

_logger = logging.getLogger(__name__)


class WeChatPayController(http.Controller):
    _notify_url = "/payment/wechatpay/notify"
    _return_url = "/payment/wechatpay/return"
    _checkout_url = "/payment/wechatpay/checkout"
    _poll_url = "/payment/wechatpay/poll"

    # ------------------------------------------------------------------
    # WeChat Pay's notifications
    # ------------------------------------------------------------------
    @http.route(
        _notify_url, type="http", auth="public", methods=["POST"], csrf=False, save_session=False
    )
    def wechatpay_notify(self):
        """WeChat Pay's notification of a payment, a refund or a transfer.

        The platform signature is checked and the resource decrypted with the
        APIv3 key before anything is read from it. WeChat Pay retries until it
        gets a 2xx; a repeated notification changes nothing and gets one too.
        """
        httprequest = request.httprequest
        ip_address = httprequest.remote_addr
        Risk = request.env["payment.risk.event"].sudo()
        if (httprequest.content_length or 0) > const.MAX_NOTIFICATION_BYTES:
            return self._answer(413, "FAIL", "too large")
        body = httprequest.get_data(as_text=True)
        headers = httprequest.headers
        providers = (
            request.env["payment.provider"]
            .sudo()
            .search([("code", "=", "wechatpay"), ("state", "!=", "disabled")])
        )
        data = provider = None
        try:
            for provider in providers:  # noqa: B007 - the one that verified is used below
                data = provider._wechatpay_read_notification(headers, body)
                if data:
                    break
        except ValidationError as error:  # no platform certificate to check with: retry later
            _logger.warning("WeChat Pay notification not checked: %s", error)
            return self._answer(500, "FAIL", "retry")
        if not data:
            Risk._flag(
                "bad_signature",
                provider_code="wechatpay",
                ip_address=ip_address,
                details=self._summary(headers, body),
            )
            return self._answer(401, "FAIL", "signature")
        resource = data["resource"]
        if resource.get("out_bill_no"):
            try:
                if provider._wechatpay_process_transfer(resource):
                    return self._answer(204)
            except ValidationError as error:
                _logger.warning("WeChat Pay transfer notification refused: %s", error)
                return self._answer(400, "FAIL", "refused")
            Risk._flag(
                "unknown_transaction",
                provider_code="wechatpay",
                reference=str(resource.get("out_bill_no"))[:64],
                ip_address=ip_address,
                details=f"{data.get('event_type')}: {resource.get('state')}",
            )
            return self._answer(404, "FAIL", "unknown transfer")
        Transaction = request.env["payment.transaction"].sudo()
        try:
            tx = Transaction._get_tx_from_notification_data("wechatpay", resource)
        except ValidationError:
            Risk._flag(
                "unknown_transaction",
                provider_code="wechatpay",
                reference=str(resource.get("out_refund_no") or resource.get("out_trade_no"))[:64],
                ip_address=ip_address,
                details=self._resource_summary(data),
            )
            return self._answer(404, "FAIL", "unknown transaction")
        if tx.provider_id != provider:
            tx._risk_flag("merchant_mismatch", self._resource_summary(data))
            return self._answer(400, "FAIL", "another merchant")
        try:
            tx._handle_notification_data("wechatpay", resource)
        except ValidationError as error:
            _logger.warning("WeChat Pay notification refused for %s: %s", tx.reference, error)
            return self._answer(400, "FAIL", "refused")
        return self._answer(204)

    @staticmethod
    def _answer(status, code=None, message=None):
        """2xx without a body says received; otherwise WeChat Pay retries."""
        body = json.dumps({"code": code, "message": message}) if code else ""
        return request.make_response(
            body, headers=[("Content-Type", "application/json")], status=status
        )

    @staticmethod
    def _summary(headers, body):
        """What a manager needs to see of a refused notification: who says
        they signed it and when, not the (encrypted) body."""
        keys = ("Wechatpay-Serial", "Wechatpay-Timestamp", "Wechatpay-Signature-Type")
        lines = [f"{key}: {str(headers.get(key))[:64]}" for key in keys]
        return "\n".join(lines + [f"bytes: {len(body or '')}"])

    @staticmethod
    def _resource_summary(data):
        resource = data["resource"]
        keys = (
            "mchid",
            "appid",
            "out_trade_no",
            "out_refund_no",
            "transaction_id",
            "trade_state",
            "refund_status",
            "amount",
        )
        lines = [f"event: {str(data.get('event_type'))[:64]}"]
        lines += [f"{key}: {str(resource.get(key))[:128]}" for key in keys if key in resource]
        return "\n".join(lines)

    # ------------------------------------------------------------------
    # The shopper's pages
    # ------------------------------------------------------------------
    def _get_checked_tx(self, reference, access_token):
        # what cannot be a reference or a token is not found, as a wrong one is
        reference, access_token = parse_reference(reference), parse_access_token(access_token)
        if (
            not reference
            or not access_token
            or not payment_utils.check_access_token(access_token, reference)
        ):
            raise NotFound()
        tx = (
            request.env["payment.transaction"]
            .sudo()
            .search(
                [
                    ("reference", "=", reference),
                    ("provider_code", "=", "wechatpay"),
                    ("operation", "!=", "refund"),
                ],
                limit=1,
            )
        )
        if not tx:
            raise NotFound()
        return tx

    @http.route(_checkout_url, type="http", auth="public", methods=["GET"], website=True)
    def wechatpay_checkout(self, reference=None, access_token=None, **kwargs):
        """The QR code to scan (Native), or pay in place inside WeChat (JSAPI)."""
        tx = self._get_checked_tx(reference, access_token)
        if tx.state in ("done", "cancel", "error") or tx.wechatpay_trade_type not in (
            "native",
            "jsapi",
        ):
            return request.redirect("/payment/status")
        provider = tx.provider_id.sudo()
        return_url = tx._wechatpay_return_url()
        code = tx.sudo().wechatpay_code_url or tx.sudo().wechatpay_prepay_id
        simulator_url = False
        if provider.state == "test" and provider.wechatpay_gateway_url:
            simulator_url = (
                f"{provider.wechatpay_gateway_url.rstrip('/')}/simulator/pay?"
                f"code={quote(code or '')}&redirect_url={quote(return_url)}"
            )
        values = {
            "tx": tx,
            "access_token": access_token,
            "return_url": return_url,
            "qr_svg": tx.wechatpay_trade_type == "native"
            and self._qr_svg(tx.sudo().wechatpay_code_url or ""),
            "jsapi_parameters": tx.wechatpay_trade_type == "jsapi"
            and json.dumps(tx._wechatpay_jsapi_parameters()),
            "simulator_url": simulator_url,
        }
        return request.render("payment_wechatpay.checkout", values)

    @staticmethod
    def _qr_svg(value):
        """The QR code of ``value`` as inline SVG: sharp at any size, no image request."""
        image = qrcode.make(value, image_factory=SvgPathImage, border=2)
        svg = image.to_string(encoding="unicode")
        # scale with the page: the SVG's own millimetre size would fix it
        return Markup(re.sub(r'width="[^"]*" height="[^"]*" ', "", svg, count=1))

    @http.route(_poll_url, type="json", auth="public", readonly=True)
    def wechatpay_poll(self, reference=None, access_token=None):
        """The transaction's state, for the checkout page waiting for the notification."""
        tx = self._get_checked_tx(reference, access_token)
        return {"state": tx.state}

    @http.route(_return_url, type="http", auth="public", methods=["GET"])
    def wechatpay_return(self, reference=None, access_token=None, **kwargs):
        """The shopper back from paying. What happened is asked to WeChat Pay."""
        tx = self._get_checked_tx(reference, access_token)
        if tx.state not in ("done", "cancel", "error"):
            try:
                tx._wechatpay_query()
            except ValidationError as error:
                _logger.info("WeChat Pay return for %s not applied: %s", tx.reference, error)
        return request.redirect("/payment/status")
