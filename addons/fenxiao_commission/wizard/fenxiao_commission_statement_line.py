from odoo import fields, models


class FenxiaoCommissionStatementLine(models.TransientModel):
    _name = "fenxiao.commission.statement.line"
    _description = "Distributor Statement Line"

    statement_id = fields.Many2one(
        "fenxiao.commission.statement", required=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="statement_id.currency_id")
    distributor_id = fields.Many2one("fenxiao.distributor", required=True)
    opening = fields.Monetary(string="Opening Balance")
    earned = fields.Monetary()
    reversed = fields.Monetary()
    settled = fields.Monetary()
    withdrawn = fields.Monetary()
    tax_withheld = fields.Monetary(string="Of Which Income Tax Withheld")
    closing = fields.Monetary(string="Closing Balance")
