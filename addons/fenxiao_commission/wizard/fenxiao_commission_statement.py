import base64
import io
from datetime import timedelta

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError

FIGURES = ("opening", "earned", "reversed", "settled", "withdrawn", "tax_withheld", "closing")


class FenxiaoCommissionStatement(models.TransientModel):
    """A distributor statement for any period, for the accountant and the distributor.

    opening + earned + reversed − withdrawn = closing, where the balance is
    what the shop owes the distributor in commission (frozen, available or
    settled) and withdrawals count with their fee and the income tax withheld
    (shown on its own too). "Settled" tells how much of the period's
    commission went to the payable account.
    """

    _name = "fenxiao.commission.statement"
    _description = "Distributor Statement"

    distributor_ids = fields.Many2many("fenxiao.distributor", string="Distributors")
    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("fenxiao.commission.statement.line", "statement_id")

    @api.model_create_multi
    def create(self, vals_list):
        statements = super().create(vals_list)
        statements._compute_lines()
        return statements

    def write(self, vals):
        result = super().write(vals)
        if {"distributor_ids", "date_from", "date_to"} & set(vals):
            self._compute_lines()
        return result

    def _period(self):
        """The period's bounds as stored (UTC), its days being the company's:
        from midnight to midnight in Shanghai, as the settlements count them,
        not in UTC (where a Chinese day starts at 08:00)."""
        company = self.company_id or self.env.company
        start = company._fenxiao_day_start_utc(self.date_from)
        end = company._fenxiao_day_start_utc(self.date_to + timedelta(days=1))
        return start, end

    def _compute_lines(self):
        for statement in self:
            if statement.date_from > statement.date_to:
                raise UserError(self.env._("The period ends before it starts."))
            distributors = statement.distributor_ids or self.env["fenxiao.distributor"].search(
                [("company_id", "=", statement.company_id.id)]
            )
            figures = statement._figures(distributors)
            statement.line_ids = [fields.Command.clear()] + [
                fields.Command.create({"distributor_id": distributor.id, **values})
                for distributor, values in figures.items()
            ]

    def _figures(self, distributors):
        """{distributor: {figure: amount}} in six grouped queries."""
        start, end = self._period()
        Line = self.env["fenxiao.commission.line"].sudo()
        Withdrawal = self.env["fenxiao.withdrawal"].sudo()
        figures = {d: dict.fromkeys(FIGURES, 0.0) for d in distributors}
        ids = distributors.ids

        def add(figure, groups, sign=1):
            for distributor, amount in groups:
                if distributor in figures:
                    figures[distributor][figure] += sign * amount

        by = ["distributor_id"]
        add(
            "opening",
            Line._read_group(
                [("distributor_id", "in", ids), ("date", "<", start)], by, ["amount:sum"]
            ),
        )
        add(
            "opening",
            Withdrawal._read_group(
                [("distributor_id", "in", ids), ("state", "=", "paid"), ("paid_date", "<", start)],
                by,
                ["amount:sum"],
            ),
            sign=-1,
        )
        in_period = [("distributor_id", "in", ids), ("date", ">=", start), ("date", "<", end)]
        add(
            "earned",
            Line._read_group(
                [*in_period, ("kind", "in", ("commission", "reward"))], by, ["amount:sum"]
            ),
        )
        add(
            "reversed",
            Line._read_group([*in_period, ("kind", "=", "reversal")], by, ["amount:sum"]),
        )
        add(
            "settled",
            Line._read_group(
                [
                    ("distributor_id", "in", ids),
                    ("settlement_id.date_to", ">=", self.date_from),
                    ("settlement_id.date_to", "<=", self.date_to),
                ],
                by,
                ["amount:sum"],
            ),
        )
        add(
            "withdrawn",
            Withdrawal._read_group(
                [
                    ("distributor_id", "in", ids),
                    ("state", "=", "paid"),
                    ("paid_date", ">=", start),
                    ("paid_date", "<", end),
                ],
                by,
                ["amount:sum"],
            ),
        )
        add(
            "tax_withheld",
            Withdrawal._read_group(
                [
                    ("distributor_id", "in", ids),
                    ("state", "=", "paid"),
                    ("paid_date", ">=", start),
                    ("paid_date", "<", end),
                ],
                by,
                ["tax_withheld:sum"],
            ),
        )
        currency = self.currency_id
        for values in figures.values():
            values["closing"] = currency.round(
                values["opening"] + values["earned"] + values["reversed"] - values["withdrawn"]
            )
        return figures

    def action_refresh(self):
        self._compute_lines()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Distributor Statement"),
        }

    def action_print(self):
        return self.env.ref("fenxiao_commission.action_report_fenxiao_statement").report_action(
            self
        )

    def action_export_xlsx(self):
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Statement"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        sheet.write_row(
            0,
            0,
            [
                self.env._("Distributor"),
                self.env._("Referral Code"),
                self.env._("Opening Balance"),
                self.env._("Earned"),
                self.env._("Reversed"),
                self.env._("Settled"),
                self.env._("Withdrawn"),
                self.env._("Of Which Income Tax Withheld"),
                self.env._("Closing Balance"),
            ],
            bold,
        )
        for row, line in enumerate(self.line_ids, start=1):
            sheet.write(row, 0, line.distributor_id.name)
            sheet.write(row, 1, line.distributor_id.referral_code)
            for column, figure in enumerate(FIGURES, start=2):
                sheet.write_number(row, column, line[figure], money)
        sheet.set_column(0, 1, 18)
        sheet.set_column(2, 8, 14)
        workbook.close()
        filename = self.env._(
            "Distributor statement %(date_from)s - %(date_to)s.xlsx",
            date_from=self.date_from,
            date_to=self.date_to,
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "datas": base64.b64encode(output.getvalue()),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
