import logging
from urllib.parse import parse_qsl

from werkzeug import urls

from odoo import models
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import float_repr

from odoo.addons.payment_risk.utils import parse_reference

from .. import const
from ..controllers.main import AlipayController
from .payment_provider import AlipayRefused

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _alipay_amount(self, amount=None):
        return float_repr(abs(amount if amount is not None else self.amount), 2)

    def _get_specific_rendering_values(self, processing_values):
        """Sign the cashier request: page pay on a computer, WAP pay on a phone."""
        values = super()._get_specific_rendering_values(processing_values)
        if self.provider_code != "alipay":
            return values
        client = self.provider_id._alipay_client()
        base_url = self.provider_id.get_base_url()
        agent = request.httprequest.user_agent.string if request else ""
        on_phone = any(mark in (agent or "") for mark in const.MOBILE_MARKS)
        pay = client.api_alipay_trade_wap_pay if on_phone else client.api_alipay_trade_page_pay
        signed = pay(
            subject=self.reference,
            out_trade_no=self.reference,
            total_amount=self._alipay_amount(),
            return_url=urls.url_join(base_url, AlipayController._return_url),
            notify_url=urls.url_join(base_url, AlipayController._notify_url),
            # Alipay closes the trade itself after this; the cron catches up
            timeout_express=f"{max(1, self.provider_id.alipay_payment_minutes)}m",
        )
        return {"api_url": client.gateway_url, "url_params": dict(parse_qsl(signed))}

    def _get_tx_from_notification_data(self, provider_code, notification_data):
        tx = super()._get_tx_from_notification_data(provider_code, notification_data)
        if provider_code != "alipay" or len(tx) == 1:
            return tx
        # a refund's answer names the refund by out_request_no, its payment by out_trade_no
        refund_reference = notification_data.get("out_request_no")
        reference = refund_reference or notification_data.get("out_trade_no")
        if not parse_reference(reference):
            raise ValidationError(self.env._("Alipay: Received data with missing reference."))
        tx = self.search(
            [
                ("reference", "=", reference),
                ("provider_code", "=", "alipay"),
                ("operation", "=" if refund_reference else "!=", "refund"),
            ]
        )
        if not tx:
            raise ValidationError(
                self.env._("Alipay: No transaction found matching reference %s.", reference)
            )
        return tx

    def _process_notification_data(self, notification_data):
        """Apply a verified notification or query answer, after checking that it
        is about this merchant and this amount; a repeated one changes nothing."""
        super()._process_notification_data(notification_data)
        if self.provider_code != "alipay":
            return
        app_id = notification_data.get("app_id")
        if app_id and app_id != self.provider_id.sudo().alipay_app_id:
            self._risk_flag("merchant_mismatch", f"app_id: {str(app_id)[:64]}")
            raise ValidationError(self.env._("Alipay: The notification is for another app."))
        if self.operation == "refund":
            self._alipay_process_refund(notification_data)
            return
        amount = notification_data.get("total_amount")
        try:
            amount = float(amount)
        except (TypeError, ValueError) as error:
            raise ValidationError(self.env._("Alipay: The amount is missing.")) from error
        if self.currency_id.compare_amounts(amount, self.amount) != 0:
            self._risk_flag("amount_mismatch", f"Alipay: {amount} / {self.amount}")
            raise ValidationError(
                self.env._(
                    "Alipay: Alipay says %(paid)s was paid, the transaction is %(expected)s.",
                    paid=amount,
                    expected=self.amount,
                )
            )
        if notification_data.get("trade_no"):
            self.provider_reference = notification_data["trade_no"]
        if not self.payment_method_id:
            self.payment_method_id = self.env.ref("payment.payment_method_alipay")
        status = notification_data.get("trade_status")
        if status in const.STATUS_MAPPING["done"]:
            if self.state != "done":
                self._set_done()
        elif status in const.STATUS_MAPPING["pending"]:
            if self.state == "draft":
                self._set_pending()
        elif status in const.STATUS_MAPPING["cancel"]:
            if self.state not in ("done", "cancel"):
                self._set_canceled()
        else:
            _logger.warning("Alipay: unknown status %r for %s", status, self.reference)
            self._set_error(self.env._("Alipay: Unknown status %s.", status))

    def _alipay_process_refund(self, data):
        """The answer of alipay.trade.refund for this refund transaction:
        Alipay answers a refund it made (or made before, for the same
        out_request_no) with code 10000; a refusal never gets here."""
        if data.get("trade_no"):
            self.provider_reference = data["trade_no"]
        if self.state != "done":
            self._set_done()
            self.env.ref("payment.cron_post_process_payment_tx")._trigger()

    def _alipay_query(self):
        """Ask Alipay what became of the trade (the return page is never
        trusted alone), and apply the answer."""
        self.ensure_one()
        answer = self.provider_id._alipay_call(
            "api_alipay_trade_query", out_trade_no=self.reference
        )
        self._handle_notification_data("alipay", answer)

    def _send_refund_request(self, amount_to_refund=None):
        refund_tx = super()._send_refund_request(amount_to_refund=amount_to_refund)
        if self.provider_code != "alipay":
            return refund_tx
        # out_request_no is the refund's reference: Alipay refunds it once
        try:
            answer = self.provider_id._alipay_call(
                "api_alipay_trade_refund",
                refund_amount=refund_tx._alipay_amount(),
                out_trade_no=self.reference,
                out_request_no=refund_tx.reference,
            )
        except AlipayRefused as refused:
            self._risk_flag_refund_refused(refused)
            raise
        # the answer does not name the refund: it is the one asked for
        refund_tx._handle_notification_data(
            "alipay", dict(answer, out_request_no=refund_tx.reference)
        )
        return refund_tx

    def _close_expired_payment(self):
        """Alipay is asked first (payment_risk's cron): a trade paid whose
        notification was lost is completed; one still waiting is closed and
        its transaction cancelled; one never opened is cancelled."""
        if self.provider_code != "alipay":
            return super()._close_expired_payment()
        self.ensure_one()
        provider = self.provider_id
        try:
            answer = provider._alipay_call("api_alipay_trade_query", out_trade_no=self.reference)
        except AlipayRefused as refused:
            if refused.sub_code != "ACQ.TRADE_NOT_EXIST":
                raise
            self._set_canceled(self.env._("Alipay: the cashier was never opened."))
            return
        if answer.get("trade_status") == "WAIT_BUYER_PAY":
            provider._alipay_call("api_alipay_trade_close", out_trade_no=self.reference)
            answer = dict(answer, trade_status="TRADE_CLOSED")
        self._handle_notification_data("alipay", answer)
