import logging

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)


class AlipayController(http.Controller):
    _notify_url = "/payment/alipay/notify"
    _return_url = "/payment/alipay/return"

    @http.route(_notify_url, type="http", auth="public", methods=["POST"], csrf=False)
    def alipay_notify(self, **data):
        """Alipay's asynchronous notification: verified with Alipay's public key
        before it touches a transaction. Alipay retries until it reads
        ``success``; a repeated notification changes nothing and reads it too."""
        Transaction = request.env["payment.transaction"].sudo()
        try:
            tx = Transaction._get_tx_from_notification_data("alipay", data)
        except ValidationError:
            _logger.warning("Alipay notification for no transaction: %s", data.get("out_trade_no"))
            return "fail"
        if not tx.provider_id._alipay_verify(data):
            _logger.warning("Alipay notification with a bad signature for %s", tx.reference)
            return "fail"
        try:
            tx._handle_notification_data("alipay", data)
        except ValidationError as error:
            _logger.warning("Alipay notification refused for %s: %s", tx.reference, error)
            return "fail"
        return "success"

    @http.route(_return_url, type="http", auth="public", methods=["GET"])
    def alipay_return(self, **data):
        """The shopper back from the cashier. The signed return parameters only
        say which trade; what happened is asked to Alipay (query)."""
        Transaction = request.env["payment.transaction"].sudo()
        try:
            tx = Transaction._get_tx_from_notification_data("alipay", data)
            if tx.provider_id._alipay_verify(data) and tx.state not in ("done", "cancel"):
                tx._alipay_query()
        except ValidationError:
            _logger.info("Alipay return not applied: %s", data.get("out_trade_no"))
        return request.redirect("/payment/status")
