from odoo import fields, models

from .fenxiao_distributor import STATES


class FenxiaoDistributorLog(models.Model):
    """What happened to a distributor: joining, moves, tiers, status. Append-only."""

    _name = "fenxiao.distributor.log"
    _description = "Distributor History"
    _inherit = ["fenxiao.append.only.mixin"]
    _order = "date desc, id desc"

    distributor_id = fields.Many2one(
        "fenxiao.distributor", required=True, ondelete="cascade", index=True, readonly=True
    )
    event = fields.Selection(
        [
            ("join", "Joined"),
            ("upline", "Upline changed"),
            ("tier", "Tier changed"),
            ("state", "Status changed"),
        ],
        required=True,
        readonly=True,
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user, readonly=True
    )
    reason = fields.Char(readonly=True)
    old_parent_id = fields.Many2one("fenxiao.distributor", string="Old Upline", readonly=True)
    new_parent_id = fields.Many2one("fenxiao.distributor", string="New Upline", readonly=True)
    old_tier_id = fields.Many2one("fenxiao.tier", readonly=True)
    new_tier_id = fields.Many2one("fenxiao.tier", readonly=True)
    old_state = fields.Selection(STATES, readonly=True)
    new_state = fields.Selection(STATES, readonly=True)
    figures = fields.Text(
        readonly=True,
        help="For an automatic tier change: each condition, the figure reached and its "
        "threshold, as they were when the change was decided.",
    )
