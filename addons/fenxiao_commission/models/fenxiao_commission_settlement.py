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
        already settled, so running a period again changes nothing.
        """
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
        cr.execute(
            """
            SELECT partner_id, array_agg(id), sum(amount)
              FROM fenxiao_commission_line
             WHERE company_id = %s AND state = 'available' AND available_date <= %s
             GROUP BY partner_id
            """,
            [company.id, date_to],
        )
        groups = cr.fetchall()
        currency = company.currency_id
        settlement = self.create(
            {
                "name": self._period_name(company, date_from, date_to),
                "company_id": company.id,
                "date_from": date_from,
                "date_to": date_to,
                "line_count": sum(len(ids) for _partner, ids, _amount in groups),
                "distributor_count": len(groups),
                "amount_total": currency.round(sum(amount for _p, _ids, amount in groups)),
            }
        )
        if groups:
            settlement.move_id = settlement._post_entry(groups)
            line_ids = [line_id for _partner, ids, _amount in groups for line_id in ids]
            self.env["fenxiao.commission.line"].browse(line_ids)._sql_set_lifecycle(
                "settled", settlement_id=settlement.id
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

    def _post_entry(self, groups):
        """Post the settlement entry: Cr payable per distributor, Dr expense."""
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        payable = company.fenxiao_commission_payable_account_id
        label = self.env._("Distribution commission %s", self.name)
        lines = []
        total = 0.0
        for partner_id, _ids, amount in groups:
            amount = currency.round(amount)
            if currency.is_zero(amount):
                continue
            total += amount
            lines.append(
                {
                    "name": label,
                    "partner_id": partner_id,
                    "account_id": payable.id,
                    "debit": -amount if amount < 0 else 0.0,
                    "credit": amount if amount > 0 else 0.0,
                }
            )
        total = currency.round(total)
        if not lines:
            return self.env["account.move"]
        lines.append(
            {
                "name": label,
                "account_id": company.fenxiao_commission_expense_account_id.id,
                "debit": total if total > 0 else 0.0,
                "credit": -total if total < 0 else 0.0,
            }
        )
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": company.fenxiao_commission_journal_id.id,
                    "date": self.date_to,
                    "ref": label,
                    "line_ids": [fields.Command.create(vals) for vals in lines],
                }
            )
        )
        move.action_post()
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
