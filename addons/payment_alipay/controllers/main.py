import logging

from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.payment_risk.utils import has_nul

_logger = logging.getLogger(__name__)


class AlipayController(http.Controller):
    _notify_url = "/payment/alipay/notify"
    _return_url = "/payment/alipay/return"

    @http.route(_notify_url, type="http", auth="public", methods=["POST"], csrf=False)
    def alipay_notify(self, **data):
        """Alipay's asynchronous notification: verified with Alipay's public key
        before it touches a transaction. Alipay retries until it reads
        ``success``; a repeated notification changes nothing and reads it too."""
        if has_nul(data):
            # nothing Alipay sends; PostgreSQL could not even store it in a risk event
            raise BadRequest()
        Transaction = request.env["payment.transaction"].sudo()
        Risk = request.env["payment.risk.event"].sudo()
        reference = str(data.get("out_trade_no") or "")[:64]
        ip_address = request.httprequest.remote_addr
        try:
            tx = Transaction._get_tx_from_notification_data("alipay", data)
        except ValidationError:
            Risk._flag(
                "unknown_transaction",
                provider_code="alipay",
                reference=reference,
                ip_address=ip_address,
                details=self._alipay_summary(data),
            )
            return "fail"
        if not tx.provider_id._alipay_verify(data):
            Risk._flag(
                "bad_signature",
                provider_code="alipay",
                reference=tx.reference,
                transaction_id=tx.id,
                partner_id=tx.partner_id.id,
                ip_address=ip_address,
                details=self._alipay_summary(data),
            )
            return "fail"
        try:
            tx._handle_notification_data("alipay", data)
        except ValidationError as error:
            _logger.warning("Alipay notification refused for %s: %s", tx.reference, error)
            return "fail"
        return "success"

    @staticmethod
    def _alipay_summary(data):
        """What a manager needs to see of a notification, without its signature."""
        keys = ("app_id", "out_trade_no", "trade_no", "trade_status", "total_amount", "notify_id")
        return "\n".join(f"{key}: {str(data.get(key))[:128]}" for key in keys if key in data)

    @http.route(_return_url, type="http", auth="public", methods=["GET"])
    def alipay_return(self, **data):
        """The shopper back from the cashier. The signed return parameters only
        say which trade; what happened is asked to Alipay (query)."""
        if has_nul(data):
            raise BadRequest()
        Transaction = request.env["payment.transaction"].sudo()
        try:
            tx = Transaction._get_tx_from_notification_data("alipay", data)
            if tx.provider_id._alipay_verify(data) and tx.state not in ("done", "cancel"):
                tx._alipay_query()
        except ValidationError:
            _logger.info("Alipay return not applied: %s", data.get("out_trade_no"))
        return request.redirect("/payment/status")
