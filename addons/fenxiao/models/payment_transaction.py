import logging

from odoo import models

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _post_process(self):
        result = super()._post_process()
        self.filtered(
            lambda tx: tx.state == "done" and tx.operation != "refund"
        ).sale_order_ids._fenxiao_paid()
        return result

    def _send_invoice(self):
        """Send the invoices of the paid orders (automatic invoicing) without
        risking the payment's post-processing: a failure (the invoice PDF
        cannot be rendered) is rolled back alone and logged; the invoice stays
        unsent and Odoo's scheduled action (``_cron_send_invoice``) tries again.
        """
        for tx in self:
            try:
                with self.env.cr.savepoint():
                    super(PaymentTransaction, tx)._send_invoice()
            except Exception:
                _logger.exception(
                    "Sending the invoices of transaction %s failed; they will be retried",
                    tx.reference,
                )
        return None  # Odoo's _send_invoice returns nothing either
