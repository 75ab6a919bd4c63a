import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    risk_ip_address = fields.Char(
        string="Customer IP Address",
        readonly=True,
        index="btree_not_null",
        help="Where the payment was started from, for spotting bursts of failures.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if request:
            for vals in vals_list:
                vals.setdefault("risk_ip_address", request.httprequest.remote_addr)
        return super().create(vals_list)

    def _risk_flag(self, kind, details):
        """Flag a risk event about this transaction, from the request at hand
        (a notification, a return): the providers call it when a check fails."""
        self.ensure_one()
        return self.env["payment.risk.event"]._flag(
            kind,
            provider_code=self.provider_code,
            reference=self.reference,
            transaction_id=self.id,
            partner_id=self.partner_id.id,
            ip_address=request.httprequest.remote_addr if request else False,
            details=details,
        )

    def _set_error(self, state_message, extra_allowed_states=()):
        txs = super()._set_error(state_message, extra_allowed_states=extra_allowed_states)
        Risk = self.env["payment.risk.event"]
        for partner in txs.partner_id:
            Risk._check_failed_burst(partner=partner)
        for ip_address in set(txs.filtered("risk_ip_address").mapped("risk_ip_address")):
            Risk._check_failed_burst(ip_address=ip_address)
        return txs

    def _risk_refundable_amount(self):
        """What is left to refund: the amount, less refunds not failed.

        Stricter than account.payment's amount_available_for_refund, which
        counts confirmed refunds only: two refunds still processing at the
        gateway must not together exceed the payment. Providers' crons follow
        processing refunds, so none stays pending for ever."""
        self.ensure_one()
        refunds = self.child_transaction_ids.filtered(
            lambda tx: tx.operation == "refund" and tx.state not in ("error", "cancel")
        )
        return self.amount + sum(refunds.mapped("amount"))  # refunds are negative

    def _send_refund_request(self, amount_to_refund=None):
        """Refuse, and flag, a refund larger than what is left of the payment:
        whatever asked for it (a tampered form, a script), no gateway is asked."""
        self.ensure_one()
        amount = amount_to_refund or self.amount
        left = self._risk_refundable_amount()
        if self.currency_id.compare_amounts(amount, left) > 0:
            self.env["payment.risk.event"]._flag_and_keep(
                "refund_exceeds",
                provider_code=self.provider_code,
                reference=self.reference,
                transaction_id=self.id,
                partner_id=self.partner_id.id,
                ip_address=request.httprequest.remote_addr if request else False,
                details=self.env._(
                    "Asked to refund %(asked)s, %(left)s left of %(paid)s.",
                    asked=amount,
                    left=left,
                    paid=self.amount,
                ),
            )
            raise ValidationError(
                self.env._(
                    "At most %(left)s of %(reference)s can still be refunded.",
                    left=left,
                    reference=self.reference,
                )
            )
        return super()._send_refund_request(amount_to_refund=amount_to_refund)

    def _risk_flag_refund_refused(self, error):
        """A gateway refused a refund: the caller raises, this stays."""
        self.env["payment.risk.event"]._flag_and_keep(
            "refund_refused",
            provider_code=self.provider_code,
            reference=self.reference,
            transaction_id=self.id,
            partner_id=self.partner_id.id,
            details=str(error)[:500],
        )

    # ------------------------------------------------------------------
    # Payments left unpaid past their time to pay
    # ------------------------------------------------------------------
    @api.model
    def _cron_close_expired_payments(self):
        """Settle what was left unpaid past its provider's time to pay
        (``payment.provider._get_minutes_to_pay``), and refunds still
        processing, for the providers that have a time to pay.

        Each provider asks its gateway first (``_close_expired_payment``): a
        payment made whose notification was lost is completed (never money
        without an order); one still waiting is closed and its transaction
        cancelled, then ``_on_payment_expired`` tells the modules that care.
        When the gateway does not answer, the next run tries again.
        """
        providers = self.env["payment.provider"].search([])
        providers = providers.filtered(lambda p: p._get_minutes_to_pay())
        if not providers:
            return
        now = fields.Datetime.now()
        # the shortest time to pay is a minute: younger ones are not even read
        candidates = self.search(
            [
                ("provider_id", "in", providers.ids),
                ("state", "in", ("draft", "pending")),
                ("create_date", "<", now - timedelta(minutes=1)),
            ]
        )
        for tx in candidates:
            try:
                with self.env.cr.savepoint():
                    if tx.operation == "refund":
                        tx._sync_pending_refund()
                        continue
                    minutes = tx.provider_id._get_minutes_to_pay()
                    if tx.create_date > now - timedelta(minutes=minutes):
                        continue
                    tx._close_expired_payment()
                    if tx.state == "cancel":
                        tx._on_payment_expired()
            except ValidationError as error:
                _logger.info("%s left for the next run: %s", tx.reference, error)

    def _close_expired_payment(self):
        """Close this payment, unpaid past its time to pay, at its gateway and
        apply what the gateway says (done if it was paid after all, cancelled
        if it was closed). Providers with a time to pay implement it; a
        ValidationError leaves it for the next run."""
        self.ensure_one()

    def _sync_pending_refund(self):
        """Ask the gateway what became of this refund, still processing, and
        apply the answer. For providers whose refunds are not immediate."""
        self.ensure_one()

    def _on_payment_expired(self):
        """Called once this payment was closed unpaid after its time to pay
        (it is cancelled): a hook for what was waiting on it, such as orders."""
        self.ensure_one()
