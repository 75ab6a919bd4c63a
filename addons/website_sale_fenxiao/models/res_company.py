from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    fenxiao_low_stock_threshold = fields.Float(
        string="Low Stock Below",
        default=5.0,
        help="When a published product's stock falls below this, its stock manager gets a to-do.",
    )
    fenxiao_out_of_stock = fields.Selection(
        [
            ("sold_out", "Show it as sold out"),
            ("unpublish", "Take it off the shop until restocked"),
        ],
        string="Out of Stock Products",
        default="sold_out",
        required=True,
    )
    fenxiao_product_review = fields.Boolean(
        string="Review Products Before Publishing",
        help="A product goes on the shop only once a sales manager has approved its "
        "images, description and price; when someone else changes them, it leaves the "
        "shop until approved again.",
    )
