from odoo import fields, models


class RmaOperation(models.Model):
    _inherit = "rma.operation"

    fenxiao_kind = fields.Selection(
        [
            ("refund", "Refund only"),
            ("return", "Return and refund"),
            ("exchange", "Exchange"),
        ],
        string="After-sales Type",
        help="Offered to shoppers on the portal when set. Refund only: no parcel comes "
        "back, allowed before the goods are received. Return and refund: refunded once "
        "the return parcel is received. Exchange: a replacement ships once the return "
        "parcel is received.",
    )
    fenxiao_sequence = fields.Integer(string="Portal Order", default=10)
