from odoo import fields, models

from .. import const


class ResCompany(models.Model):
    _inherit = "res.company"

    fenxiao_kuaidi100_customer = fields.Char(
        string="Kuaidi100 Customer",
        help="The customer id of the Kuaidi100 enterprise account (for real-time queries).",
    )
    fenxiao_kuaidi100_key = fields.Char(
        string="Kuaidi100 Key",
        groups="base.group_system",
        help="The authorization key of the Kuaidi100 account: it subscribes and signs queries.",
    )
    fenxiao_kuaidi100_url = fields.Char(
        string="Kuaidi100 API URL", default=const.DEFAULT_API_URL, required=True
    )
    fenxiao_receipt_auto_days = fields.Integer(
        string="Confirm Receipt After (days)",
        default=10,
        help="A shipped parcel the shopper has not confirmed is taken as received this many "
        "days after shipping.",
    )
