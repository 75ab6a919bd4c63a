from odoo import fields, models


class FenxiaoProductReviewReject(models.TransientModel):
    _name = "fenxiao.product.review.reject"
    _description = "Reject Products"

    product_tmpl_ids = fields.Many2many("product.template", string="Products", required=True)
    reason = fields.Text(
        required=True, help="What to change before submitting again; the submitter reads it."
    )

    def action_reject(self):
        self.ensure_one()
        self.product_tmpl_ids._fenxiao_reject(self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
