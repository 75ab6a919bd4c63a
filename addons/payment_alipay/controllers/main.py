import logging

from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.payment_risk.utils import has_nul

from .. import const

_logger = logging.getLogger(__name__)


class AlipayController(http.Controller):
    _notify_url = "/payment/alipay/notify"
    _return_url = "/payment/alipay/return"

    @http.route(_notify_url, type="http", auth="public", methods=["POST"], csrf=False)
    def alipay_notify(self, **data):
        """Alipay's asynchronous notification: verified with Alipay's public key
        before anything in it is read. Alipay retries until it reads
        ``success``; a repeated notification changes nothing and reads it too."""
        if has_nul(data):
            # nothing Alipay sends; PostgreSQL could not even store it in a risk event
            raise BadRequest()
        Transaction = request.env["payment.transaction"].sudo()
        Risk = request.env["payment.risk.event"].sudo()
        ip_address = request.httprequest.remote_addr
        providers = (
            request.env["payment.provider"]
            .sudo()
            .search([("code", "=", "alipay"), ("state", "!=", "disabled")])
        )
        # anyone can post here: what Alipay did not sign names no transaction
        signed_for = providers.filtered(lambda provider: provider._alipay_verify(data))
        if not signed_for:
            Risk._flag(
                "bad_signature",
                provider_code="alipay",
                ip_address=ip_address,
                details=self._alipay_summary(data, const.NOTIFICATION_UNSIGNED_KEYS),
            )
            return "fail"
        try:
            tx = Transaction._get_tx_from_notification_data("alipay", data)
        except ValidationError:
            Risk._flag(
                "unknown_transaction",
                provider_code="alipay",
                reference=str(data.get("out_trade_no") or "")[:64],
                ip_address=ip_address,
                details=self._alipay_summary(data),
            )
            return "fail"
        if tx.provider_id not in signed_for:
            # signed with the key of another of our Alipay apps
            tx._risk_flag("merchant_mismatch", self._alipay_summary(data))
            return "fail"
        try:
            tx._handle_notification_data("alipay", data)
        except ValidationError as error:
            _logger.warning("Alipay notification refused for %s: %s", tx.reference, error)
            return "fail"
        return "success"

    @staticmethod
    def _alipay_summary(data, keys=const.NOTIFICATION_SIGNED_KEYS):
        """What a manager needs to see of a notification, without its signature."""
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
