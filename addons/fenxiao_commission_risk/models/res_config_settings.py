from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fenxiao_risk_refund_days = fields.Integer(
        related="company_id.fenxiao_risk_refund_days", readonly=False
    )
