from odoo import fields, models
from odoo.exceptions import UserError


class FenxiaoDistributorChange(models.TransientModel):
    """A manager's change to distributors: upline, tier or status, with a reason."""

    _name = "fenxiao.distributor.change"
    _description = "Change Distributors"

    distributor_ids = fields.Many2many("fenxiao.distributor", string="Distributors", required=True)
    action = fields.Selection(
        [
            ("upline", "Move to another upline"),
            ("tier", "Set the tier"),
            ("suspend", "Suspend"),
            ("disqualify", "Disqualify"),
        ],
        required=True,
        default="upline",
    )
    new_upline_id = fields.Many2one(
        "fenxiao.distributor",
        domain="[('state', '=', 'active'), ('id', 'not in', distributor_ids)]",
        help="Leave empty to put them at the top of the network.",
    )
    tier_id = fields.Many2one("fenxiao.tier")
    reason = fields.Char()

    def action_apply(self):
        self.ensure_one()
        distributors = self.distributor_ids
        if self.action == "upline":
            distributors.action_move_upline(self.new_upline_id, self.reason)
        elif self.action == "tier":
            if not self.tier_id:
                raise UserError(self.env._("Choose the tier."))
            distributors.action_set_tier(self.tier_id, self.reason)
        elif self.action == "suspend":
            distributors.action_suspend(self.reason)
        else:
            distributors.action_disqualify(self.reason)
        return {"type": "ir.actions.act_window_close"}
