from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    fenxiao_after_sales_days = fields.Integer(
        string="After-sales Window (days after receipt)",
        default=7,
        help="Shoppers can ask for after-sales until this many days after they received "
        "the goods (七天无理由退货: 7).",
    )
    fenxiao_after_sales_auto_approve_hours = fields.Integer(
        string="Auto-approve Refund-only After (hours)",
        default=48,
        help="A refund-only request on an order not shipped yet is approved by itself "
        "when nobody answered it within this many hours. 0: never.",
    )

    @api.constrains("fenxiao_after_sales_days", "fenxiao_after_sales_auto_approve_hours")
    def _check_fenxiao_after_sales_settings(self):
        for company in self:
            if (
                company.fenxiao_after_sales_days < 0
                or company.fenxiao_after_sales_auto_approve_hours < 0
            ):
                raise ValidationError(
                    self.env._("The after-sales window and hours cannot be negative.")
                )
