from odoo import fields, models


class FenxiaoParcelCarrier(models.Model):
    """An express company as Kuaidi100 names it (``company`` code)."""

    _name = "fenxiao.parcel.carrier"
    _description = "Parcel Carrier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        string="Kuaidi100 Code",
        required=True,
        help="The company code Kuaidi100 uses, e.g. shunfeng for SF Express (顺丰速运).",
    )
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "A Kuaidi100 code can be used by one carrier only."),
    ]
