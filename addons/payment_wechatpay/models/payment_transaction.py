import logging
import re
import secrets
import time
import unicodedata
from datetime import UTC, timedelta, timezone
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from wechatpayv3 import WeChatPayType
from werkzeug import urls

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import hmac as hmac_tool

from odoo.addons.payment import utils as payment_utils

from .. import const
from ..controllers.main import WeChatPayController
from .payment_provider import WeChatPayRefused

_logger = logging.getLogger(__name__)

CHINA = timezone(timedelta(hours=8))
# out_trade_no: 6 to 32 of these; a longer prefix leaves room for "-NN"
REFERENCE_FORBIDDEN = re.compile(r"[^0-9A-Za-z_*-]")
REFERENCE_PREFIX_MAX = 28
TRADE_TYPES = {
    "native": WeChatPayType.NATIVE,
    "jsapi": WeChatPayType.JSAPI,
    "h5": WeChatPayType.H5,
}


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    wechatpay_trade_type = fields.Selection(
        [
            ("native", "QR code (Native)"),
            ("jsapi", "In WeChat (JSAPI)"),
            ("h5", "Phone browser (H5)"),
        ],
        string="WeChat Pay Checkout",
        readonly=True,
    )
    wechatpay_code_url = fields.Char(
        string="WeChat Pay Code URL", readonly=True, groups="base.group_system"
    )
    wechatpay_prepay_id = fields.Char(
        string="WeChat Pay Prepay ID", readonly=True, groups="base.group_system"
    )

    # ------------------------------------------------------------------
    # References and amounts
    # ------------------------------------------------------------------
    @api.model
    def _compute_reference(self, provider_code, prefix=None, separator="-", **kwargs):
        """WeChat Pay takes 6 to 32 letters, digits and ``_-*`` as out_trade_no:
        an invoice's INV/2025/00001 becomes INV-2025-00001."""
        if provider_code == "wechatpay":
            if prefix:
                prefix = unicodedata.normalize("NFKD", prefix).encode("ascii", "ignore").decode()
            if not prefix:
                prefix = self.sudo()._compute_reference_prefix(provider_code, separator, **kwargs)
            if not prefix:
                prefix = payment_utils.singularize_reference_prefix(separator=separator)
            prefix = REFERENCE_FORBIDDEN.sub("-", prefix)[:REFERENCE_PREFIX_MAX].ljust(6, "0")
        return super()._compute_reference(
            provider_code, prefix=prefix, separator=separator, **kwargs
        )

    def _wechatpay_fen(self, amount=None):
        """An amount in fen (分), the unit of every WeChat Pay amount."""
        amount = abs(amount if amount is not None else self.amount)
        return payment_utils.to_minor_currency_units(amount, self.currency_id)

    # ------------------------------------------------------------------
    # Checkout
    # ------------------------------------------------------------------
    def _wechatpay_openid(self):
        """The shopper's openid of the provider's app (from WeChat login)."""
        appid = self.provider_id.sudo().wechatpay_app_id
        users = self.partner_id.user_ids
        if request and request.env.user and not request.env.user._is_public():
            users = request.env.user
        identity = (
            self.env["auth.wechat.identity"]
            .sudo()
            .search([("user_id", "in", users.ids), ("appid", "=", appid)], limit=1)
        )
        return identity.openid

    def _wechatpay_choose_trade_type(self):
        """Native (QR code), JSAPI or H5, from the shopper's browser and the
        merchant's choice. Inside WeChat without a known openid, the QR code:
        WeChat lets one long-press it to pay."""
        mode = self.provider_id.wechatpay_checkout
        agent = (request.httprequest.user_agent.string or "") if request else ""
        in_wechat = const.WECHAT_BROWSER_MARK in agent
        if mode != "native" and in_wechat and self._wechatpay_openid():
            return "jsapi"
        on_phone = any(mark in agent for mark in const.MOBILE_MARKS)
        if mode == "auto" and on_phone and not in_wechat:
            return "h5"
        return "native"

    def _wechatpay_access_token(self):
        """payment.utils.generate_access_token(reference), also outside a request (crons)."""
        return hmac_tool(self.env(su=True), "generate_access_token", self.reference)

    def _wechatpay_page_url(self, route):
        """The shopper's page ``route`` for this transaction, with its access token."""
        query = urls.url_encode(
            {"reference": self.reference, "access_token": self._wechatpay_access_token()}
        )
        return f"{urls.url_join(self.provider_id.get_base_url(), route)}?{query}"

    def _wechatpay_return_url(self):
        return self._wechatpay_page_url(WeChatPayController._return_url)

    def _wechatpay_prepay(self, trade_type):
        """Open the WeChat Pay order (统一下单) of this transaction. WeChat Pay
        answers the same order again for the same out_trade_no and amount, so
        a reloaded page reuses it."""
        provider = self.provider_id
        base_url = provider.get_base_url()
        minutes = max(1, provider.wechatpay_payment_minutes)
        expire = (self.create_date or fields.Datetime.now()) + timedelta(minutes=minutes)
        kwargs = {
            "description": f"{self.company_id.name} {self.reference}"[:127],
            "out_trade_no": self.reference,
            "amount": {"total": self._wechatpay_fen(), "currency": self.currency_id.name},
            "notify_url": urls.url_join(base_url, WeChatPayController._notify_url),
            # WeChat Pay closes the order itself then; the cron catches up
            "time_expire": expire.replace(tzinfo=UTC)
            .astimezone(CHINA)
            .isoformat(timespec="seconds"),
            "pay_type": TRADE_TYPES[trade_type],
        }
        if trade_type == "jsapi":
            kwargs["payer"] = {"openid": self._wechatpay_openid()}
        if trade_type == "h5":
            ip_address = request.httprequest.remote_addr if request else "127.0.0.1"
            kwargs["scene_info"] = {"payer_client_ip": ip_address, "h5_info": {"type": "Wap"}}
        answer = provider._wechatpay_call("pay", **kwargs)
        values = {"wechatpay_trade_type": trade_type}
        if trade_type == "native":
            values["wechatpay_code_url"] = answer.get("code_url")
        elif trade_type == "jsapi":
            values["wechatpay_prepay_id"] = answer.get("prepay_id")
        self.sudo().write(values)
        if not self.payment_method_id:
            self.payment_method_id = self.env.ref("payment.payment_method_wechat_pay")
        return answer

    def _get_specific_rendering_values(self, processing_values):
        """Open the WeChat Pay order, then send the shopper on: to WeChat
        Pay's H5 page on a phone, to our checkout page otherwise (the QR
        code, or pay in place inside WeChat)."""
        values = super()._get_specific_rendering_values(processing_values)
        if self.provider_code != "wechatpay":
            return values
        trade_type = self._wechatpay_choose_trade_type()
        answer = self._wechatpay_prepay(trade_type)
        if trade_type == "h5":
            # WeChat Pay sends the shopper back to redirect_url, added to h5_url
            api_url = f"{answer['h5_url']}&redirect_url={quote(self._wechatpay_return_url())}"
        else:
            api_url = self._wechatpay_page_url(WeChatPayController._checkout_url)
        # the redirect form is a GET form: its inputs replace the URL's query
        parts = urlsplit(api_url)
        return {
            "api_url": urlunsplit(parts._replace(query="")),
            "url_params": dict(parse_qsl(parts.query)),
        }

    def _wechatpay_jsapi_parameters(self):
        """What WeixinJSBridge's getBrandWCPayRequest wants, signed by the
        merchant (appId, timeStamp, nonceStr and package, one per line)."""
        self.ensure_one()
        provider = self.provider_id.sudo()
        parameters = {
            "appId": provider.wechatpay_app_id,
            "timeStamp": str(int(time.time())),
            "nonceStr": secrets.token_hex(16),
            "package": f"prepay_id={self.sudo().wechatpay_prepay_id}",
            "signType": "RSA",
        }
        parameters["paySign"] = provider._wechatpay_client().sign(
            [
                parameters["appId"],
                parameters["timeStamp"],
                parameters["nonceStr"],
                parameters["package"],
            ]
        )
        return parameters

    # ------------------------------------------------------------------
    # Notifications and queries
    # ------------------------------------------------------------------
    def _get_tx_from_notification_data(self, provider_code, notification_data):
        tx = super()._get_tx_from_notification_data(provider_code, notification_data)
        if provider_code != "wechatpay" or len(tx) == 1:
            return tx
        refund_reference = notification_data.get("out_refund_no")
        reference = refund_reference or notification_data.get("out_trade_no")
        if not reference or not isinstance(reference, str):
            raise ValidationError(self.env._("WeChat Pay: Received data with missing reference."))
        tx = self.search(
            [
                ("reference", "=", reference),
                ("provider_code", "=", "wechatpay"),
                ("operation", "=" if refund_reference else "!=", "refund"),
            ]
        )
        if not tx:
            raise ValidationError(
                self.env._("WeChat Pay: No transaction found matching reference %s.", reference)
            )
        return tx

    def _process_notification_data(self, notification_data):
        """Apply a verified notification or an answer WeChat Pay signed, after
        checking it is for this merchant and this amount. A repeated one
        changes nothing; a late one does not undo a later state."""
        super()._process_notification_data(notification_data)
        if self.provider_code != "wechatpay":
            return
        provider = self.provider_id.sudo()
        mchid = notification_data.get("mchid")
        appid = notification_data.get("appid")
        if (mchid and mchid != provider.wechatpay_mch_id) or (
            appid and appid != provider.wechatpay_app_id
        ):
            self._risk_flag("merchant_mismatch", f"mchid: {mchid}, appid: {appid}"[:200])
            raise ValidationError(self.env._("WeChat Pay: The data is for another merchant."))
        if self.operation == "refund":
            self._wechatpay_process_refund(notification_data)
            return
        amount = notification_data.get("amount")
        total = amount.get("total") if isinstance(amount, dict) else None
        currency = amount.get("currency") if isinstance(amount, dict) else None
        if not isinstance(total, int):
            raise ValidationError(self.env._("WeChat Pay: The amount is missing."))
        if total != self._wechatpay_fen() or (currency and currency != self.currency_id.name):
            self._risk_flag(
                "amount_mismatch", f"WeChat Pay: {total} {currency} / {self._wechatpay_fen()} fen"
            )
            raise ValidationError(
                self.env._(
                    "WeChat Pay: WeChat Pay says %(paid)s fen, the transaction is %(expected)s.",
                    paid=total,
                    expected=self._wechatpay_fen(),
                )
            )
        if notification_data.get("transaction_id"):
            self.provider_reference = notification_data["transaction_id"]
        if not self.payment_method_id:
            self.payment_method_id = self.env.ref("payment.payment_method_wechat_pay")
        status = notification_data.get("trade_state")
        if status in const.STATUS_MAPPING["done"] + const.STATUS_MAPPING["done_then_refunded"]:
            if self.state != "done":
                self._set_done()
        elif status in const.STATUS_MAPPING["pending"]:
            if self.state == "draft":
                self._set_pending()
        elif status in const.STATUS_MAPPING["cancel"]:
            if self.state not in ("done", "cancel"):
                self._set_canceled(self.env._("WeChat Pay: the order was closed unpaid."))
        elif status in const.STATUS_MAPPING["error"]:
            if self.state not in ("done", "error"):
                self._set_error(
                    self.env._(
                        "WeChat Pay: %s", notification_data.get("trade_state_desc") or status
                    )
                )
        else:
            _logger.warning("WeChat Pay: unknown status %r for %s", status, self.reference)
            self._set_error(self.env._("WeChat Pay: Unknown status %s.", status))

    def _wechatpay_process_refund(self, data):
        """A refund's answer, query or notification, for this refund transaction."""
        amount = data.get("amount")
        refunded = amount.get("refund") if isinstance(amount, dict) else None
        if refunded != self._wechatpay_fen():
            self._risk_flag(
                "amount_mismatch", f"WeChat Pay refund: {refunded} / {self._wechatpay_fen()} fen"
            )
            raise ValidationError(self.env._("WeChat Pay: The refunded amount does not match."))
        if data.get("refund_id"):
            self.provider_reference = data["refund_id"]
        # the answer to the request says "status", the notification "refund_status"
        status = data.get("refund_status") or data.get("status")
        if status in const.REFUND_STATUS_MAPPING["done"]:
            if self.state != "done":
                self._set_done()
                self.env.ref("payment.cron_post_process_payment_tx")._trigger()
        elif status in const.REFUND_STATUS_MAPPING["pending"]:
            if self.state == "draft":
                self._set_pending()
        elif status in const.REFUND_STATUS_MAPPING["error"]:
            if self.state not in ("done", "error"):
                self._set_error(
                    self.env._(
                        "WeChat Pay: the refund failed (%s); settle it with the customer "
                        "in the merchant platform.",
                        status,
                    )
                )
                self._risk_flag("refund_refused", f"refund_status: {status}")
        else:
            _logger.warning("WeChat Pay: unknown refund status %r for %s", status, self.reference)

    def _wechatpay_query(self):
        """Ask WeChat Pay what became of the order (the shopper's return is
        never trusted alone), and apply the answer."""
        self.ensure_one()
        provider = self.provider_id.sudo()
        answer = provider._wechatpay_call(
            "query", out_trade_no=self.reference, mchid=provider.wechatpay_mch_id
        )
        self._handle_notification_data("wechatpay", answer)

    def _wechatpay_query_refund(self):
        self.ensure_one()
        answer = self.provider_id._wechatpay_call("query_refund", out_refund_no=self.reference)
        self._handle_notification_data("wechatpay", answer)

    # ------------------------------------------------------------------
    # Refunds
    # ------------------------------------------------------------------
    def _send_refund_request(self, amount_to_refund=None):
        refund_tx = super()._send_refund_request(amount_to_refund=amount_to_refund)
        if self.provider_code != "wechatpay":
            return refund_tx
        base_url = self.provider_id.get_base_url()
        # out_refund_no is the refund's reference: WeChat Pay refunds it once
        try:
            answer = self.provider_id._wechatpay_call(
                "refund",
                out_refund_no=refund_tx.reference,
                out_trade_no=self.reference,
                amount={
                    "refund": refund_tx._wechatpay_fen(),
                    "total": self._wechatpay_fen(),
                    "currency": self.currency_id.name,
                },
                notify_url=urls.url_join(base_url, WeChatPayController._notify_url),
            )
        except WeChatPayRefused as refused:
            self._risk_flag_refund_refused(refused)
            raise
        refund_tx._handle_notification_data("wechatpay", answer)
        return refund_tx

    # ------------------------------------------------------------------
    # Unpaid orders
    # ------------------------------------------------------------------
    def _sync_pending_refund(self):
        if self.provider_code != "wechatpay":
            return super()._sync_pending_refund()
        self._wechatpay_query_refund()

    def _close_expired_payment(self):
        """WeChat Pay is asked first (payment_risk's cron): an order paid whose
        notification was lost is completed; one still waiting is closed and its
        transaction cancelled; one never opened is cancelled."""
        if self.provider_code != "wechatpay":
            return super()._close_expired_payment()
        self.ensure_one()
        provider = self.provider_id.sudo()
        try:
            answer = provider._wechatpay_call(
                "query", out_trade_no=self.reference, mchid=provider.wechatpay_mch_id
            )
        except WeChatPayRefused as refused:
            if refused.code != "ORDER_NOT_EXIST":
                raise
            self._set_canceled(self.env._("WeChat Pay: the order was never opened."))
            return
        if answer.get("trade_state") == "USERPAYING":
            return  # entering the password: the next run decides
        if answer.get("trade_state") == "NOTPAY":
            provider._wechatpay_call(
                "close", out_trade_no=self.reference, mchid=provider.wechatpay_mch_id
            )
            answer = dict(answer, trade_state="CLOSED")
        self._handle_notification_data("wechatpay", answer)
