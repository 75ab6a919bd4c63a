from odoo import fields, models

BINDING_CAUSES = [
    ("visit", "Visit through a referral link"),
    ("signup", "Sign-up"),
    ("first_order", "First paid order"),
    ("takeover", "Takeover after protection"),
    ("manual", "Set by a manager"),
]


class FenxiaoBinding(models.Model):
    """Each time a customer is bound to a distributor, and why. Append-only."""

    _name = "fenxiao.binding"
    _description = "Customer Binding"
    _inherit = ["fenxiao.append.only.mixin"]
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    distributor_id = fields.Many2one(
        "fenxiao.distributor", required=True, ondelete="cascade", index=True, readonly=True
    )
    previous_distributor_id = fields.Many2one(
        "fenxiao.distributor", ondelete="set null", readonly=True
    )
    cause = fields.Selection(BINDING_CAUSES, required=True, readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user, readonly=True
    )
