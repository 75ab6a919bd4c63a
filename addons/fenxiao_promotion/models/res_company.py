from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    fenxiao_welcome_program_id = fields.Many2one(
        "loyalty.program",
        string="New-Shopper Coupon",
        domain="[('program_type', '=', 'coupons')]",
        help="Every shopper who signs up (by phone or WeChat) receives one coupon of this program.",
    )
