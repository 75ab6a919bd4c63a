from odoo import api, fields, models, tools

from ..tools.income_tax import labour_remuneration_tax


class FenxiaoIncomeTaxLine(models.Model):
    """The monthly withholding list: per person and month, the commission
    paid out (劳务报酬), the prepayment the rules give for it and what was
    withheld, for the accountant to declare (个人所得税扣缴申报). Read from the
    paid withdrawals; exported to Excel from the list."""

    _name = "fenxiao.income.tax.line"
    _description = "Income Tax Withheld per Person and Month"
    _auto = False
    _order = "month desc, partner_id"
    _rec_name = "partner_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Person", readonly=True)
    phone = fields.Char(related="partner_id.phone", string="Mobile")
    withdrawal_count = fields.Integer(string="Payouts", readonly=True)
    income = fields.Monetary(string="Income (劳务报酬)", readonly=True)
    deduction = fields.Monetary(compute="_compute_prepayment")
    taxable = fields.Monetary(compute="_compute_prepayment", string="Taxable Amount")
    rate = fields.Float(compute="_compute_prepayment", string="Rate (%)")
    quick_deduction = fields.Monetary(compute="_compute_prepayment")
    tax_due = fields.Monetary(compute="_compute_prepayment")
    tax_withheld = fields.Monetary(readonly=True)

    @api.depends("income")
    def _compute_prepayment(self):
        for line in self:
            prepayment = labour_remuneration_tax(line.income)
            line.deduction = prepayment["deduction"]
            line.taxable = prepayment["taxable"]
            line.rate = prepayment["rate"] * 100
            line.quick_deduction = prepayment["quick_deduction"]
            line.tax_due = prepayment["tax"]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT min(w.id) AS id,
                       w.company_id,
                       w.tax_month AS month,
                       w.partner_id,
                       count(*) AS withdrawal_count,
                       sum(w.amount) AS income,
                       sum(w.tax_withheld) AS tax_withheld
                  FROM fenxiao_withdrawal w
                 WHERE w.state = 'paid' AND w.tax_month IS NOT NULL
              GROUP BY w.company_id, w.tax_month, w.partner_id
            )
            """  # noqa: S608 - the table name is the model's
        )
