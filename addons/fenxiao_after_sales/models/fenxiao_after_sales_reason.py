from odoo import fields, models


class FenxiaoAfterSalesReason(models.Model):
    """Why a shopper asks for after-sales (不想要了, 质量问题...): a list the
    manager keeps, shown in the shopper's form."""

    _name = "fenxiao.after.sales.reason"
    _description = "After-sales Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
