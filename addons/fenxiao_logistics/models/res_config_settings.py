from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fenxiao_kuaidi100_customer = fields.Char(
        related="company_id.fenxiao_kuaidi100_customer", readonly=False
    )
    fenxiao_kuaidi100_key = fields.Char(
        related="company_id.fenxiao_kuaidi100_key", readonly=False, groups="base.group_system"
    )
    fenxiao_kuaidi100_url = fields.Char(related="company_id.fenxiao_kuaidi100_url", readonly=False)
    fenxiao_receipt_auto_days = fields.Integer(
        related="company_id.fenxiao_receipt_auto_days", readonly=False
    )
