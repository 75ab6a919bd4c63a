from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    fenxiao_risk_refund_days = fields.Integer(
        string="Quick Refund Window (days)",
        default=15,
        help="An order refunded within this many days after its commission was settled is "
        "flagged as possible brushing. 0 turns the check off.",
    )

    @api.constrains("fenxiao_risk_refund_days")
    def _check_fenxiao_risk_refund_days(self):
        if any(company.fenxiao_risk_refund_days < 0 for company in self):
            raise ValidationError(self.env._("The quick refund window cannot be negative."))
