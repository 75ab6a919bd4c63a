import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round

from odoo.addons.fenxiao.tools.back_office import as_back_office

from ..tools.income_tax import labour_remuneration_tax
from .fenxiao_commission_line import BACK_OFFICE
from .fenxiao_payout_account import PAYOUT_METHODS

_logger = logging.getLogger(__name__)

# requests promised but not paid out yet: they hold part of the balance
PENDING_STATES = ("requested", "approved", "paying")
# How old a payout attempt must be before a gateway's cron asks about it: a
# Pay Out still waiting for its gateway's answer is not raced.
PAYOUT_ATTEMPT_SETTLE_MINUTES = 10
# what only the request and its state changes set
GUARDED_FIELDS = {
    "distributor_id",
    "amount",
    "fee",
    "tax_withheld",
    "tax_month",
    "net_amount",
    "method",
    "state",
}


class FenxiaoWithdrawal(models.Model):
    """A distributor's request to be paid what they have earned.

    requested → approved → (paying →) paid, or rejected / failed. The amount
    comes from the distributor's payable balance in the accounting minus the
    requests still pending; the distributor row is locked while a request is
    checked, so two requests at once cannot together exceed the balance.
    """

    _name = "fenxiao.withdrawal"
    _description = "Withdrawal Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "request_date desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, default="/", copy=False)
    distributor_id = fields.Many2one(
        "fenxiao.distributor", required=True, readonly=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(related="distributor_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="distributor_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        required=True, readonly=True, help="Taken from the balance, fee included."
    )
    fee = fields.Monetary(readonly=True)
    tax_withheld = fields.Monetary(
        string="Income Tax Withheld",
        readonly=True,
        help="The prepayment of individual income tax on labour remuneration (劳务报酬) "
        "withheld from this withdrawal, for the month of the request.",
    )
    tax_month = fields.Date(
        readonly=True,
        index=True,
        help="First day of the month whose income this withdrawal counts in (Asia/Shanghai).",
    )
    net_amount = fields.Monetary(string="Paid Out", readonly=True)
    method = fields.Selection(PAYOUT_METHODS, required=True, readonly=True)
    payout_account_id = fields.Many2one(
        "fenxiao.payout.account", string="Pay To", required=True, readonly=True
    )
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("approved", "Approved"),
            ("paying", "Paying"),
            ("paid", "Paid"),
            ("rejected", "Rejected"),
            ("failed", "Failed"),
        ],
        required=True,
        readonly=True,
        default="requested",
        tracking=True,
        index=True,
    )
    request_date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    # Who approved, the gateway's answer and the accounting are the back
    # office's: the distributor centre shows a request's state and, when
    # rejected, the reason given to the distributor.
    approved_uid = fields.Many2one(
        "res.users", string="Approved By", readonly=True, groups=BACK_OFFICE
    )
    approved_date = fields.Datetime(readonly=True)
    paid_date = fields.Datetime(readonly=True)
    reject_reason = fields.Char(readonly=True, tracking=True)
    payout_reference = fields.Char(
        readonly=True, groups=BACK_OFFICE, help="The transfer's id at the gateway."
    )
    payout_message = fields.Char(readonly=True, groups=BACK_OFFICE)
    payment_id = fields.Many2one("account.payment", readonly=True, groups=BACK_OFFICE)
    fee_move_id = fields.Many2one(
        "account.move", string="Fee Entry", readonly=True, groups=BACK_OFFICE
    )

    _sql_constraints = [
        (
            "amounts_positive",
            "CHECK(amount > 0 AND net_amount > 0 AND fee >= 0 AND tax_withheld >= 0)",
            "A withdrawal is positive and covers its fee and the tax withheld.",
        ),
    ]

    def write(self, vals):
        if GUARDED_FIELDS & set(vals):
            raise UserError(
                self.env._(
                    "A withdrawal's amount and status change only through its buttons, "
                    "which check the balance."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Balance: what a distributor may withdraw
    # ------------------------------------------------------------------
    @api.model
    def _balances(self, distributors):
        """{distributor: {frozen, available, held, payable, pending, withdrawable}}.

        Three grouped queries for the whole recordset. The payable comes from
        the posted journal items of the commission payable account, not from a
        counter of our own; the withdrawable balance is that payable minus the
        requests still pending.
        """
        self.env.flush_all()
        result = {
            distributor: dict.fromkeys(
                ("frozen", "available", "held", "payable", "pending", "withdrawable"), 0.0
            )
            for distributor in distributors
        }
        if not distributors.ids:
            return result
        ledger = (
            self.env["fenxiao.commission.line"]
            .sudo()
            ._read_group(
                [
                    ("distributor_id", "in", distributors.ids),
                    ("state", "in", ("frozen", "available")),
                ],
                ["distributor_id", "state", "held"],
                ["amount:sum"],
            )
        )
        # held lines (under review) are neither frozen nor to be settled
        for distributor, state, held, amount in ledger:
            result[distributor]["held" if held else state] += amount
        by_partner = {distributor.partner_id: distributor for distributor in distributors}
        accounts = distributors.company_id.fenxiao_commission_payable_account_id
        if accounts:
            payable = (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("account_id", "in", accounts.ids),
                        ("partner_id", "in", distributors.partner_id.ids),
                        ("parent_state", "=", "posted"),
                    ],
                    ["partner_id", "company_id"],
                    ["balance:sum"],
                )
            )
            for partner, company, balance in payable:
                distributor = by_partner[partner]
                if distributor.company_id == company:
                    result[distributor]["payable"] = -balance
        pending = self.sudo()._read_group(
            [("distributor_id", "in", distributors.ids), ("state", "in", PENDING_STATES)],
            ["distributor_id"],
            ["amount:sum"],
        )
        for distributor, amount in pending:
            result[distributor]["pending"] = amount
        for distributor, balance in result.items():
            currency = distributor.currency_id
            balance["withdrawable"] = currency.round(balance["payable"] - balance["pending"])
        return result

    @api.model
    def _lock_balances(self, distributors):
        """Serialise everything that spends these distributors' balances.

        An UPDATE rather than SELECT ... FOR UPDATE: under Odoo's REPEATABLE
        READ isolation a transaction that waited for the lock would otherwise go
        on with a snapshot that misses what the first one wrote. With the
        update it fails on serialisation instead, and Odoo retries it with
        fresh data.
        """
        self.env.cr.execute(
            "UPDATE fenxiao_distributor SET write_date = write_date WHERE id = ANY(%s)",
            [distributors.ids],
        )

    # ------------------------------------------------------------------
    # Request
    # ------------------------------------------------------------------
    @api.model
    def _fenxiao_fee(self, company, amount):
        if company.fenxiao_withdrawal_fee_type == "fixed":
            return company.fenxiao_withdrawal_fee_fixed
        return company.currency_id.round(amount * company.fenxiao_withdrawal_fee_percent / 100.0)

    @api.model
    def _fenxiao_request(self, distributor, amount, payout_account):
        """Ask to withdraw ``amount`` of ``distributor``'s balance to ``payout_account``.

        Checks everything before writing anything; raises UserError with the
        reason otherwise.
        """
        distributor.ensure_one()
        company = distributor.company_id
        currency = company.currency_id
        try:
            amount = float(amount)
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("Enter the amount to withdraw.")) from error
        if (
            not 0 < amount < 1e9
            or float_round(amount, precision_rounding=currency.rounding) != amount
        ):
            raise UserError(self.env._("Enter an amount in yuan with at most two decimals."))
        if distributor.state not in ("active", "suspended"):
            raise UserError(
                self.env._("This distributor account cannot withdraw: contact the shop.")
            )
        if not payout_account or payout_account.distributor_id != distributor:
            raise UserError(self.env._("Choose one of your own payout accounts."))
        if not payout_account.active:
            raise UserError(self.env._("This payout account has been removed: choose another one."))
        minimum = company.fenxiao_withdrawal_min_amount
        if currency.compare_amounts(amount, minimum) < 0:
            raise UserError(
                self.env._(
                    "The minimum withdrawal is %(minimum)s.",
                    minimum=currency.format(minimum),
                )
            )
        fee = self._fenxiao_fee(company, amount)
        if currency.compare_amounts(amount - fee, 0.0) <= 0:
            raise UserError(self.env._("The amount does not cover the withdrawal fee."))
        self._lock_balances(distributor)
        available = self._balances(distributor)[distributor]["withdrawable"]
        if currency.compare_amounts(amount, available) > 0:
            raise UserError(
                self.env._(
                    "You can withdraw at most %(available)s.",
                    available=currency.format(max(available, 0.0)),
                )
            )
        # under the balance lock: the month's earlier requests are all seen
        tax_month, tax = self._fenxiao_income_tax(distributor, amount)
        if currency.compare_amounts(amount - fee - tax, 0.0) <= 0:
            raise UserError(self.env._("The amount does not cover the withdrawal fee."))
        return self.sudo().create(
            {
                "name": self.env["ir.sequence"].sudo().next_by_code("fenxiao.withdrawal") or "/",
                "distributor_id": distributor.id,
                "amount": amount,
                "fee": fee,
                "tax_withheld": tax,
                "tax_month": tax_month,
                "net_amount": currency.round(amount - fee - tax),
                "method": payout_account.method,
                "payout_account_id": payout_account.id,
            }
        )

    @api.model
    def _fenxiao_income_tax(self, distributor, amount):
        """(month, tax) to withhold from a withdrawal of ``amount`` by
        ``distributor`` requested today: the prepayment on the month's income
        from this company, this request included, less what the month's other
        requests (pending or paid) withhold. Nothing for a company (it
        invoices) or when the company does not withhold."""
        company = distributor.company_id
        month = company._fenxiao_today().replace(day=1)
        partner = distributor.partner_id.commercial_partner_id
        if not company.fenxiao_withhold_income_tax or partner.is_company:
            return month, 0.0
        earlier = self.sudo()._read_group(
            [
                ("partner_id", "=", distributor.partner_id.id),
                ("company_id", "=", company.id),
                ("tax_month", "=", month),
                ("state", "in", (*PENDING_STATES, "paid")),
            ],
            [],
            ["amount:sum", "tax_withheld:sum"],
        )
        income, withheld = (value or 0.0 for value in earlier[0])
        due = labour_remuneration_tax(income + amount)["tax"]
        return month, company.currency_id.round(max(due - withheld, 0.0))

    # ------------------------------------------------------------------
    # Review
    # ------------------------------------------------------------------
    def _fenxiao_transition(self, from_states, to_state, **values):
        """Move ``self`` from one of ``from_states`` to ``to_state``, or fail.

        One conditional UPDATE: of two managers clicking at once, the second
        waits for the first's row lock and then fails (serialisation, retried
        by Odoo, or no row left in the old state), never acts twice.
        """
        self.env.flush_all()
        columns = ["state = %s", "write_uid = %s", "write_date = now() at time zone 'UTC'"]
        params = [to_state, self.env.uid]
        for column, value in values.items():
            columns.append(f"{column} = %s")
            params.append(value)
        self.env.cr.execute(
            f"UPDATE fenxiao_withdrawal SET {', '.join(columns)} "  # noqa: S608
            "WHERE id = ANY(%s) AND state IN %s RETURNING id",
            [*params, self.ids, tuple(from_states)],
        )
        moved = {row[0] for row in self.env.cr.fetchall()}
        self.invalidate_recordset()
        if moved != set(self.ids):
            raise UserError(
                self.env._(
                    "%(names)s has already been handled by someone else: reload the page.",
                    names=", ".join(self.filtered(lambda w: w.id not in moved).mapped("name")),
                )
            )

    def _check_reviewer(self):
        self.env["res.users"]._fenxiao_check_manager()

    def action_approve(self):
        self._check_reviewer()
        # The balance may have shrunk since the request (a refund clawed
        # back): approve only what is still covered.
        self._lock_balances(self.distributor_id)
        self._fenxiao_transition(
            ("requested",),
            "approved",
            approved_uid=self.env.uid,
            approved_date=fields.Datetime.now(),
        )
        balances = self._balances(self.distributor_id)
        for withdrawal in self:
            balance = balances[withdrawal.distributor_id]
            if withdrawal.currency_id.compare_amounts(balance["withdrawable"], 0.0) < 0:
                raise UserError(
                    self.env._(
                        "%(name)s is no longer covered by %(distributor)s's balance (refunds "
                        "were clawed back): reject it.",
                        name=withdrawal.name,
                        distributor=withdrawal.distributor_id.name,
                    )
                )
        for withdrawal in self:
            withdrawal.message_post(body=self.env._("Approved."))
        return True

    def action_reject(self, reason):
        self._check_reviewer()
        if not (reason or "").strip():
            raise UserError(self.env._("Tell the distributor why the request is rejected."))
        self._fenxiao_transition(("requested", "approved"), "rejected", reject_reason=reason)
        for withdrawal in self:
            withdrawal.message_post(body=self.env._("Rejected: %s", reason))
        return True

    def action_open_reject_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject"),
            "res_model": "fenxiao.withdrawal.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }

    # ------------------------------------------------------------------
    # Payout
    # ------------------------------------------------------------------
    def action_payout(self):
        """Send approved withdrawals through the payout gateway of their method."""
        self._check_reviewer()
        # the accounting must be able to book the payout before money leaves
        self._check_payout_setup()
        Gateway = self.env["fenxiao.payout.gateway"]
        for company in self.company_id:
            methods = Gateway._fenxiao_payout_methods(company)
            unsupported = self.filtered(
                lambda w, c=company, m=methods: w.company_id == c and w.method not in m
            )
            if unsupported:
                raise UserError(
                    self.env._(
                        "No transfer service is installed for %(names)s: pay them yourself and "
                        "use 'Record Payment'.",
                        names=", ".join(unsupported.mapped("name")),
                    )
                )
        self._fenxiao_transition(("approved",), "paying")
        # only once this request holds the rows: a click that lost the race
        # records nothing
        self._fenxiao_record_payout_attempt()
        for method in set(self.mapped("method")):
            batch = self.filtered(lambda w, m=method: w.method == m)
            batch._fenxiao_payout_apply(Gateway._fenxiao_payout_send(batch))
        return True

    def _fenxiao_payout_apply(self, results):
        """Record the gateway's answers ({withdrawal: result}, see
        ``fenxiao.payout.gateway._fenxiao_payout_send``) on ``self``, all
        paying: paid and booked, failed, or left paying (pending)."""
        for withdrawal in self:
            result = results.get(withdrawal, {})
            withdrawal.sudo().write(
                {
                    "payout_reference": result.get("reference"),
                    "payout_message": result.get("message"),
                }
            )
            if result.get("state") == "done":
                withdrawal._fenxiao_payout_done()
            elif result.get("state") != "pending":
                withdrawal._fenxiao_payout_failed(result.get("message"))

    def _fenxiao_record_payout_attempt(self):
        """Note, in a transaction of its own committed at once, that ``self``
        is about to be sent to its gateway: if this request dies after the
        gateway took a transfer but before its commit, the withdrawal is back
        to approved and this note is what is left for the gateway's cron.

        An INSERT only: the withdrawal's row, which this request has updated,
        is never written from the other transaction (it would wait for this
        one). A withdrawal the other transaction cannot see (created in this
        same uncommitted request) gets no note: a rollback would remove it
        altogether."""
        if not self:
            return
        with self.env.registry.cursor() as cr:
            # This request waits for that transaction: were it ever to wait
            # for a lock this one holds, both would hang. Its only lock is the
            # key-share lock of the foreign key on the withdrawal's row, which
            # the state UPDATE does not block (no create_uid: no lock on the
            # user's row either); should it wait all the same, it fails and
            # so does this Pay Out, before anything is sent.
            cr.execute("SET LOCAL lock_timeout = '10s'")
            cr.execute(
                """
                INSERT INTO fenxiao_withdrawal_payout_attempt
                       (withdrawal_id, method, create_date, write_date)
                SELECT id, method, %(now)s, %(now)s
                  FROM fenxiao_withdrawal
                 WHERE id = ANY(%(ids)s)
                """,
                # the clock the cron compares it with
                {"now": fields.Datetime.now(), "ids": self.ids},
            )

    @api.model
    def _fenxiao_payout_attempts_due(self, method):
        """Approved withdrawals of ``method`` whose Pay Out called the gateway
        a while ago and never committed: the gateway may hold their transfer.
        For the gateway's cron, which asks the gateway about each and then
        calls :meth:`_fenxiao_payout_resume` or
        :meth:`_fenxiao_payout_forget_attempts`. The notes of withdrawals no
        longer approved (the Pay Out committed, paid again, rejected) are
        dropped here, without asking anyone."""
        Attempt = self.env["fenxiao.withdrawal.payout.attempt"].sudo()
        Attempt.search(
            [("method", "=", method), ("withdrawal_id.state", "!=", "approved")]
        ).unlink()
        settled = fields.Datetime.now() - timedelta(minutes=PAYOUT_ATTEMPT_SETTLE_MINUTES)
        return Attempt.search(
            [
                ("method", "=", method),
                ("withdrawal_id.state", "=", "approved"),
                ("create_date", "<", settled),
            ]
        ).withdrawal_id

    def _fenxiao_payout_forget_attempts(self):
        """The gateway has no transfer of ``self``, or it is now followed as
        paying: its notes are not asked about again."""
        self.env["fenxiao.withdrawal.payout.attempt"].sudo().search(
            [("withdrawal_id", "in", self.ids)]
        ).unlink()

    def _fenxiao_ask_gateway(self, provider_for, ask, label):
        """For a gateway's cron: ``ask(provider, withdrawal)`` for each of
        ``self`` whose company has a transfer provider (``provider_for(company)``),
        as the company's back office (what it learns is the system's news, in
        the company's language), each under a savepoint: a gateway that cannot
        answer now (UserError, ValidationError) leaves that one, unchanged,
        for the next run."""
        for withdrawal in self:
            provider = provider_for(withdrawal.company_id)
            if not provider:
                continue
            try:
                with self.env.cr.savepoint():
                    ask(as_back_office(provider, withdrawal.company_id), withdrawal)
            except (UserError, ValidationError) as error:
                _logger.info("%s %s left for the next run: %s", label, withdrawal.name, error)

    def _fenxiao_payout_resume(self, results):
        """The gateway holds a transfer of ``self`` (approved) whose Pay Out
        died before its commit: move it to paying and record the gateway's
        answers ({withdrawal: result}) as that Pay Out would have. Fails, as
        a click does, when someone else has handled it meanwhile."""
        self._fenxiao_transition(("approved",), "paying")
        self._fenxiao_payout_forget_attempts()
        self._fenxiao_payout_apply(results)

    def action_record_payment(self):
        """The money was sent by hand: record the payment and reconcile it."""
        self._check_reviewer()
        self._check_payout_setup()
        self._fenxiao_transition(("approved",), "paying")
        self._fenxiao_payout_done()
        return True

    def _fenxiao_payout_done(self, reference=None):
        """The money has left: book the payment and the fee, reconcile the payable."""
        self._fenxiao_transition(("paying",), "paid", paid_date=fields.Datetime.now())
        for withdrawal in self.sudo():
            if reference:
                withdrawal.payout_reference = reference
            withdrawal._fenxiao_book_payout()

    def _fenxiao_payout_failed(self, message):
        self._fenxiao_transition(("paying",), "failed", payout_message=message or "")
        # a gateway's answer or a cron: the system's news, in the company's language
        for withdrawal in self:
            withdrawal = as_back_office(withdrawal, withdrawal.company_id)
            withdrawal.message_post(
                body=withdrawal.env._(
                    "The transfer failed, the amount is back in the balance: %s", message
                )
            )

    def _check_payout_setup(self):
        for company in self.company_id:
            if not (
                company.fenxiao_payout_journal_id
                and company.fenxiao_commission_journal_id
                and company.fenxiao_commission_payable_account_id
            ):
                raise UserError(
                    self.env._("Choose the payout journal in the distribution settings.")
                )
            charged = self.filtered(lambda w, c=company: w.company_id == c and w.fee)
            if charged and not company.fenxiao_withdrawal_fee_account_id:
                raise UserError(
                    self.env._("Choose the withdrawal fee account in the distribution settings.")
                )
            taxed = self.filtered(lambda w, c=company: w.company_id == c and w.tax_withheld)
            if taxed and not company.fenxiao_income_tax_account_id:
                raise UserError(
                    self.env._(
                        "Choose the account of the income tax withheld in the distribution "
                        "settings."
                    )
                )

    def _fenxiao_book_payout(self):
        self.ensure_one()
        company = self.company_id
        payable = company.fenxiao_commission_payable_account_id
        journal = company.fenxiao_payout_journal_id
        values = {
            "payment_type": "outbound",
            "partner_type": "supplier",
            "partner_id": self.partner_id.id,
            "amount": self.net_amount,
            "currency_id": self.currency_id.id,
            "journal_id": journal.id,
            "destination_account_id": payable.id,
            "memo": self.name,
            "payment_reference": self.payout_reference or self.name,
        }
        if not self.currency_id.is_zero(self.tax_withheld):
            # the same entry: the payable is debited for what was paid and
            # what was withheld, the tax payable credited with the latter
            values["write_off_line_vals"] = [
                {
                    "name": self.env._("Individual income tax withheld %s", self.name),
                    "account_id": company.fenxiao_income_tax_account_id.id,
                    "partner_id": self.partner_id.id,
                    "currency_id": self.currency_id.id,
                    "amount_currency": -self.tax_withheld,
                    "balance": -self.tax_withheld,
                }
            ]
        payment = self.env["account.payment"].with_company(company).create(values)
        payment.action_post()
        to_reconcile = payment.move_id.line_ids.filtered(lambda line: line.account_id == payable)
        if not self.currency_id.is_zero(self.fee):
            fee_move = (
                self.env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "entry",
                        "journal_id": company.fenxiao_commission_journal_id.id,
                        "ref": self.env._("Withdrawal fee %s", self.name),
                        "line_ids": [
                            fields.Command.create(
                                {
                                    "name": self.name,
                                    "partner_id": self.partner_id.id,
                                    "account_id": payable.id,
                                    "debit": self.fee,
                                }
                            ),
                            fields.Command.create(
                                {
                                    "name": self.name,
                                    "account_id": company.fenxiao_withdrawal_fee_account_id.id,
                                    "credit": self.fee,
                                }
                            ),
                        ],
                    }
                )
            )
            fee_move.action_post()
            self.fee_move_id = fee_move
            to_reconcile |= fee_move.line_ids.filtered(lambda line: line.account_id == payable)
        # Pay off the oldest settlements first.
        open_credits = self.env["account.move.line"].search(
            [
                ("account_id", "=", payable.id),
                ("partner_id", "=", self.partner_id.id),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("credit", ">", 0),
            ],
            order="date, id",
        )
        (to_reconcile | open_credits).reconcile()
        self.payment_id = payment
        news = as_back_office(self, self.company_id)
        news.message_post(body=news.env._("Paid out."))
