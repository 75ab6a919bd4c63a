from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fenxiao_after_sales_days = fields.Integer(
        related="company_id.fenxiao_after_sales_days", readonly=False
    )
    fenxiao_after_sales_auto_approve_hours = fields.Integer(
        related="company_id.fenxiao_after_sales_auto_approve_hours", readonly=False
    )
