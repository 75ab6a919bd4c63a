from odoo import fields, models


class FenxiaoAfterSalesReview(models.TransientModel):
    """拒绝 or 补充资料: what the shopper is told."""

    _name = "fenxiao.after.sales.review"
    _description = "After-sales Review Answer"

    rma_ids = fields.Many2many("rma", string="Requests", required=True)
    mode = fields.Selection(
        [("reject", "Reject"), ("need_info", "Ask for more")], required=True, default="reject"
    )
    message = fields.Text(
        required=True, help="Shown to the shopper: why it is rejected, or what is missing."
    )

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "reject":
            self.rma_ids._fenxiao_reject(self.message)
        else:
            self.rma_ids._fenxiao_ask_info(self.message)
        return {"type": "ir.actions.act_window_close"}
