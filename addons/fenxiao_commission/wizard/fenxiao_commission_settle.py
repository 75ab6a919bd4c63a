from odoo import api, fields, models


class FenxiaoCommissionSettle(models.TransientModel):
    _name = "fenxiao.commission.settle"
    _description = "Settle Commission"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_to = fields.Date(string="Settle Up To", required=True)
    date_from = fields.Date(compute="_compute_date_from")
    line_count = fields.Integer(string="Lines to Settle", compute="_compute_preview")
    amount_total = fields.Monetary(compute="_compute_preview")
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        values.setdefault("date_to", company._fenxiao_last_closed_period()[1])
        return values

    @api.depends("company_id", "date_to")
    def _compute_date_from(self):
        for wizard in self:
            wizard.date_from = (
                wizard.date_to and wizard.company_id._fenxiao_settlement_period(wizard.date_to)[0]
            )

    @api.depends("company_id", "date_to")
    def _compute_preview(self):
        for wizard in self:
            groups = self.env["fenxiao.commission.line"]._read_group(
                [
                    ("company_id", "=", wizard.company_id.id),
                    ("state", "=", "available"),
                    ("available_date", "<=", wizard.date_to),
                ],
                [],
                ["__count", "amount:sum"],
            )
            wizard.line_count, wizard.amount_total = groups[0] if groups else (0, 0.0)

    def action_settle(self):
        self.ensure_one()
        self.env["res.users"]._fenxiao_check_manager(
            self.env._("Only a Distribution Administrator can settle.")
        )
        settlement = (
            self.env["fenxiao.commission.settlement"]
            .sudo()
            ._settle(self.company_id, self.date_from, self.date_to)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "fenxiao.commission.settlement",
            "res_id": settlement.id,
            "view_mode": "form",
        }
