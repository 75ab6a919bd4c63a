import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class FenxiaoCommissionSettlement(models.Model):
    """One settlement run: the available commission of a period, in the journals.

    Posts one entry in the commission journal: a payable line per distributor
    (their contact as partner) against the commission expense, and marks the
    ledger lines settled. Everything happens in one transaction: a run that
    fails half-way leaves nothing posted and nothing marked.
    """

    _name = "fenxiao.commission.settlement"
    _description = "Commission Settlement"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"

    name = fields.Char(required=True, readonly=True, default="/")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="Until", required=True, readonly=True)
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    line_ids = fields.One2many(
        "fenxiao.commission.line", "settlement_id", string="Commission Lines", readonly=True
    )
    line_count = fields.Integer(readonly=True)
    distributor_count = fields.Integer(string="Distributors", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)

    _sql_constraints = [
        (
            "period_once",
            "unique(company_id, date_to)",
            "This period has already been settled.",
        ),
    ]

    @api.model
    def _settle(self, company, date_from, date_to):
        """Settle ``company``'s available commission up to ``date_to``.

        Returns the settlement of that period: the existing one when it was
        already settled, so running a period again changes nothing. A period
        closes only once it has ended, in the company's time zone.
        """
        if date_to >= company._fenxiao_today():
            raise UserError(
                self.env._(
                    "The period until %(date)s has not ended yet: it can be settled from the "
                    "day after.",
                    date=fields.Date.to_string(date_to),
                )
            )
        self.env.flush_all()
        cr = self.env.cr
        # Serialise the runs of one company. Updating the row (not just
        # locking it) makes a concurrent run fail on serialisation and be
        # retried by Odoo, and the retry then finds the period settled.
        cr.execute("UPDATE res_company SET write_date = write_date WHERE id = %s", [company.id])
        existing = self.search([("company_id", "=", company.id), ("date_to", "=", date_to)])
        if existing:
            return existing
        if not company.fenxiao_commission_journal_id:
            company._fenxiao_commission_setup_accounting()
        if not (
            company.fenxiao_commission_journal_id
            and company.fenxiao_commission_payable_account_id
            and company.fenxiao_commission_expense_account_id
        ):
            raise UserError(
                self.env._(
                    "Set the commission journal and accounts of %(company)s in the settings "
                    "before settling.",
                    company=company.display_name,
                )
            )
        currency = company.currency_id
        settlement = self.create(
            {
                "name": self._period_name(company, date_from, date_to),
                "company_id": company.id,
                "date_from": date_from,
                "date_to": date_to,
            }
        )
        # Mark the lines settled and total them per distributor in one
        # statement: the rows marked are exactly the rows summed.
        cr.execute(
            """
            WITH settled AS (
                UPDATE fenxiao_commission_line
                   SET state = 'settled', settlement_id = %(settlement)s,
                       write_uid = %(uid)s, write_date = now() at time zone 'UTC'
                 WHERE company_id = %(company)s AND state = 'available'
                   AND available_date <= %(date_to)s AND held IS NOT TRUE
             RETURNING partner_id, amount
            )
            SELECT partner_id, count(*), sum(amount)
              FROM settled
             GROUP BY partner_id
             ORDER BY partner_id
            """,
            {
                "settlement": settlement.id,
                "uid": self.env.uid,
                "company": company.id,
                "date_to": date_to,
            },
        )
        groups = cr.fetchall()
        self.env["fenxiao.commission.line"].invalidate_model(["state", "settlement_id"])
        settlement.write(
            {
                "line_count": sum(count for _partner, count, _amount in groups),
                "distributor_count": len(groups),
                "amount_total": currency.round(sum(amount for _p, _c, amount in groups)),
            }
        )
        if groups:
            settlement.move_id = settlement._post_entry(
                [(partner_id, amount) for partner_id, _count, amount in groups]
            )
        _logger.info(
            "Settled %s commission lines of %s distributors for %s (%s)",
            settlement.line_count,
            settlement.distributor_count,
            company.name,
            settlement.name,
        )
        return settlement

    def _period_name(self, company, date_from, date_to):
        """A language-neutral reference: 2026-W47 for a week, 2026-11 for a month.

        A period settled by hand with another end date is named by its dates.
        """
        if (date_from, date_to) == company._fenxiao_settlement_period(date_to):
            if company.fenxiao_settlement_period == "monthly":
                return date_to.strftime("%Y-%m")
            year, week, _day = date_to.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{fields.Date.to_string(date_from)}/{fields.Date.to_string(date_to)}"

    def _post_entry(self, amounts):
        """Post the settlement entry: Cr payable per distributor, Dr expense.

        ``amounts`` is [(partner id, amount)]. The entry is created through
        the ORM with its expense line; the payable lines, one per distributor
        and so thousands at a time, are inserted in one statement
        (``account.move.line._fenxiao_insert_partner_lines``, which says why).
        Posting then checks that the entry balances and numbers it.
        """
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        amounts = [
            (partner_id, currency.round(amount))
            for partner_id, amount in amounts
            if not currency.is_zero(amount)
        ]
        if not amounts:
            return self.env["account.move"]
        total = currency.round(sum(amount for _partner, amount in amounts))
        label = self.env._("Distribution commission %s", self.name)
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .with_context(check_move_validity=False)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": company.fenxiao_commission_journal_id.id,
                    "date": self.date_to,
                    "ref": label,
                    "line_ids": [
                        fields.Command.create(
                            {
                                "name": label,
                                "account_id": company.fenxiao_commission_expense_account_id.id,
                                "debit": max(total, 0.0),
                                "credit": max(-total, 0.0),
                                "analytic_distribution": False,
                            }
                        )
                    ],
                }
            )
        )
        self.env.flush_all()
        payable = company.fenxiao_commission_payable_account_id
        self.env["account.move.line"]._fenxiao_insert_partner_lines(move.line_ids, payable, amounts)
        # Posting raises the supplier rank of each payable line's partner and
        # their company one partner at a time (three queries each, so
        # thousands): skip that and raise them all in one statement.
        move.with_context(fenxiao_skip_partner_ranks=True).action_post()
        if payable.account_type == "liability_payable":
            partners = self.env["res.partner"].browse([partner_id for partner_id, _a in amounts])
            (partners | partners.commercial_partner_id)._increase_rank("supplier_rank")
        return move

    @api.model
    def _cron_settle(self):
        """Settle the last closed period of every company, each on its own."""
        companies = self.env["res.company"].search([("fenxiao_commission_journal_id", "!=", False)])
        for company in companies:
            self._cron_settle_company(company, *company._fenxiao_last_closed_period())

    @api.model
    def _cron_settle_company(self, company, date_from, date_to):
        try:
            with self.env.cr.savepoint():
                return self.sudo()._settle(company, date_from, date_to)
        except psycopg2.errors.SerializationFailure:
            raise  # another run got there first: Odoo retries the cron
        except Exception:
            # One company's broken settings must not stop the others; the
            # failed run left nothing behind and is tried again next time.
            _logger.exception("Settling the commission of %s failed", company.name)
            return self.browse()

    @api.model
    def _action_commission_journal_items(self):
        companies = self.env.companies
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_account_moves_all")
        action.update(
            {
                "name": self.env._("Commission Journal Items"),
                "domain": [
                    (
                        "account_id",
                        "in",
                        companies.fenxiao_commission_payable_account_id.ids,
                    ),
                    ("parent_state", "=", "posted"),
                ],
                "context": {"search_default_group_by_partner": 1},
            }
        )
        return action

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "fenxiao_commission.action_fenxiao_commission_line"
        )
        action["domain"] = [("settlement_id", "=", self.id)]
        action["context"] = {}
        return action
