import logging
from datetime import datetime, timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# A burst: this many failed payments of one customer within the window.
FAILED_BURST_COUNT = 5
FAILED_BURST_MINUTES = 60
MANAGER_GROUP = "account.group_account_manager"
# What anyone can send over and over, from as many addresses as they like
# (forged or unknown notifications): within one window of time, all of one kind
# and provider count on one event still to review, with one to-do.
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
        help="How many times it happened, from any address, within its window of time "
        "before it was reviewed.",
    )
    last_seen = fields.Datetime(readonly=True, default=fields.Datetime.now)
    repeat_window = fields.Datetime(
        readonly=True,
        help="For what anyone can send over and over: the start of the window of time "
        "whose repeats this event counts.",
    )
    state = fields.Selection(
        [("new", "To Review"), ("done", "Reviewed")], default="new", required=True, tracking=True
    )

    def init(self):
        # The hard cap on a flood: one event to review per kind, provider and
        # window, whatever the number of requests and addresses (and however
        # many arrive at once: see _flag_repeat).
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS payment_risk_event_repeat_uniq
                ON payment_risk_event (kind, provider_code, repeat_window)
             WHERE state = 'new' AND repeat_window IS NOT NULL
            """
        )

    @api.depends("kind", "reference")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for event in self:
            event.display_name = f"{labels.get(event.kind, '')} {event.reference or ''}".strip()

    @api.model
    def _flag(self, kind, **values):
        """Record and log a risk event, with a to-do for an accounting manager.

        What anyone can send over and over (``REPEATABLE_KINDS``) counts on
        the event of its kind and provider still to review in the current
        window (``_flag_repeat``): a flood from any number of addresses makes
        one event and one to-do, not thousands.
        """
        # What an event records came from outside, forged requests included:
        # PostgreSQL refuses a NUL in text, so it is kept visible, not stored.
        values = {
            key: value.replace("\x00", "\\x00") if isinstance(value, str) else value
            for key, value in values.items()
        }
        _logger.warning(
            "Payment risk: %s %s %s %s",
            kind,
            values.get("reference") or "",
            values.get("ip_address") or "",
            values.get("details") or "",
        )
        if (
            kind in REPEATABLE_KINDS
            and values.get("provider_code")
            and not values.get("transaction_id")
        ):
            event, first = self._flag_repeat(kind, values)
            if not first:
                return event
        else:
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
    def _flag_repeat(self, kind, values):
        """(event, whether it is new) for a repeatable kind: the event of
        ``kind`` and provider still to review in the current window, counted
        once more, or a new one.

        One statement decides, on the unique index of ``init``: requests at
        once either insert the event or count on it; one that cannot see the
        event inserted meanwhile by another (its snapshot is older) gets a
        serialization failure and is retried by Odoo as a request is.
        """
        now = fields.Datetime.now()
        width = timedelta(minutes=REPEAT_WINDOW_MINUTES)
        window = now - (now - datetime(2000, 1, 1)) % width
        self.flush_model()
        self.env.cr.execute(
            """
            INSERT INTO payment_risk_event
                   (kind, provider_code, reference, ip_address, details, repeat_window,
                    occurrences, last_seen, state, create_uid, create_date, write_uid, write_date)
            VALUES (%(kind)s, %(provider)s, %(reference)s, %(ip)s, %(details)s, %(window)s,
                    1, %(now)s, 'new', %(uid)s, %(now)s, %(uid)s, %(now)s)
            ON CONFLICT (kind, provider_code, repeat_window)
             WHERE state = 'new' AND repeat_window IS NOT NULL
            DO UPDATE SET occurrences = payment_risk_event.occurrences + 1,
                          last_seen = EXCLUDED.last_seen
            RETURNING id, xmax = 0
            """,
            {
                "kind": kind,
                "provider": values["provider_code"],
                "reference": values.get("reference") or None,
                "ip": values.get("ip_address") or None,
                "details": values.get("details") or None,
                "window": window,
                "now": now,
                "uid": self.env.uid,
            },
        )
        event_id, inserted = self.env.cr.fetchone()
        event = self.sudo().browse(event_id)
        event.invalidate_recordset(["occurrences", "last_seen"])
        return event, inserted

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
