from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fenxiao_low_stock_threshold = fields.Float(
        related="company_id.fenxiao_low_stock_threshold", readonly=False
    )
    fenxiao_out_of_stock = fields.Selection(
        related="company_id.fenxiao_out_of_stock", readonly=False, required=True
    )
    fenxiao_product_review = fields.Boolean(
        related="company_id.fenxiao_product_review", readonly=False
    )
