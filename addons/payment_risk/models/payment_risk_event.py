import logging
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# A burst: this many failed payments of one customer within the window.
FAILED_BURST_COUNT = 5
FAILED_BURST_MINUTES = 60
MANAGER_GROUP = "account.group_account_manager"
# What anyone can send over and over (forged or unknown notifications): from
# one address, within this window, they count on the event still to review
# instead of each making an event and a to-do.
REPEATABLE_KINDS = ("bad_signature", "unknown_transaction")
REPEAT_WINDOW_MINUTES = 60


class PaymentRiskEvent(models.Model):
    """Something a payment gateway or a customer did that a manager should
    look at: refused, logged, and put in front of an accounting manager."""

    _name = "payment.risk.event"
    _description = "Payment Risk Event"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    kind = fields.Selection(
        [
            ("unknown_transaction", "Notification for an unknown transaction"),
            ("bad_signature", "Forged or unsigned notification"),
            ("amount_mismatch", "Amount mismatch"),
            ("merchant_mismatch", "Merchant or app mismatch"),
            ("failed_burst", "Burst of failed payments"),
            ("refund_refused", "Refund refused by the gateway"),
            ("refund_exceeds", "Refund larger than what was paid"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    provider_code = fields.Char(readonly=True)
    reference = fields.Char(readonly=True, index=True)
    transaction_id = fields.Many2one("payment.transaction", readonly=True, ondelete="set null")
    partner_id = fields.Many2one("res.partner", readonly=True, ondelete="set null")
    ip_address = fields.Char(string="IP Address", readonly=True)
    details = fields.Text(readonly=True)
    occurrences = fields.Integer(
        default=1,
        readonly=True,
        help="How many times it happened from this address before it was reviewed.",
    )
    last_seen = fields.Datetime(readonly=True, default=fields.Datetime.now)
    state = fields.Selection(
        [("new", "To Review"), ("done", "Reviewed")], default="new", required=True, tracking=True
    )

    @api.depends("kind", "reference")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for event in self:
            event.display_name = f"{labels.get(event.kind, '')} {event.reference or ''}".strip()

    @api.model
    def _flag(self, kind, **values):
        """Record and log a risk event, with a to-do for an accounting manager.
        A forged or unknown notification repeated from one address counts on
        the event still to review: a flood makes one event, not thousands."""
        _logger.warning(
            "Payment risk: %s %s %s",
            kind,
            values.get("reference") or "",
            values.get("details") or "",
        )
        if kind in REPEATABLE_KINDS and values.get("ip_address"):
            self.env.cr.execute(
                """
                UPDATE payment_risk_event
                   SET occurrences = occurrences + 1, last_seen = now() at time zone 'UTC'
                 WHERE id = (
                    SELECT id FROM payment_risk_event
                     WHERE kind = %s AND ip_address = %s AND state = 'new'
                       AND provider_code IS NOT DISTINCT FROM %s
                       AND create_date > now() at time zone 'UTC' - make_interval(mins => %s)
                     ORDER BY id DESC LIMIT 1
                     FOR UPDATE SKIP LOCKED)
             RETURNING id
                """,
                [kind, values["ip_address"], values.get("provider_code"), REPEAT_WINDOW_MINUTES],
            )
            row = self.env.cr.fetchone()
            if row:
                event = self.sudo().browse(row[0])
                event.invalidate_recordset(["occurrences", "last_seen"])
                return event
        event = self.sudo().create({"kind": kind, **values})
        manager = (
            self.env.ref(MANAGER_GROUP)
            .sudo()
            .users.filtered(lambda user: user.active and not user.share and user.id != 1)[:1]
        )
        if manager:
            event.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Review a payment risk event"),
                user_id=manager.id,
            )
        return event

    @api.model
    def _flag_and_keep(self, kind, **values):
        """Flag in a transaction of its own, for a caller about to refuse
        with an error (which rolls its own transaction back). Links to
        records the caller has not committed are left out: that transaction
        cannot see them."""
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr, su=True)
            for field in ("transaction_id", "partner_id"):
                if values.get(field):
                    comodel = env[self._fields[field].comodel_name]
                    if not comodel.browse(values[field]).exists():
                        values[field] = False
            return env["payment.risk.event"]._flag(kind, **values).id

    def action_mark_reviewed(self):
        self.write({"state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    @api.model
    def _check_failed_burst(self, partner=None, ip_address=None):
        """Flag a customer, or an IP address, whose payments keep failing
        (card testing, stolen accounts): once per window."""
        if partner:
            self._check_failed_burst_of("partner_id", partner.id)
        if ip_address:
            self._check_failed_burst_of("ip_address", ip_address)

    def _check_failed_burst_of(self, field, value):
        since = fields.Datetime.now() - timedelta(minutes=FAILED_BURST_MINUTES)
        tx_field = "partner_id" if field == "partner_id" else "risk_ip_address"
        failed = (
            self.env["payment.transaction"]
            .sudo()
            .search_count(
                [
                    (tx_field, "=", value),
                    ("state", "=", "error"),
                    ("last_state_change", ">=", since),
                    ("operation", "!=", "refund"),
                ]
            )
        )
        if failed < FAILED_BURST_COUNT:
            return
        already = self.sudo().search_count(
            [("kind", "=", "failed_burst"), (field, "=", value), ("create_date", ">=", since)]
        )
        if not already:
            self._flag(
                "failed_burst",
                **{field: value},
                details=self.env._(
                    "%(count)s failed payments in %(minutes)s minutes.",
                    count=failed,
                    minutes=FAILED_BURST_MINUTES,
                ),
            )
