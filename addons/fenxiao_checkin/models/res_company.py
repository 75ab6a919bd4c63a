from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    fenxiao_checkin_program_id = fields.Many2one(
        "loyalty.program",
        string="Check-in Loyalty Program",
        domain="[('program_type', '=', 'loyalty'), ('company_id', 'in', [id, False])]",
        help="The loyalty program whose cards receive the daily check-in points. "
        "Empty: no check-in.",
    )
    fenxiao_checkin_points = fields.Float(string="Check-in Points per Day", default=5)
    fenxiao_checkin_streak_days = fields.Integer(
        string="Streak Bonus Every (days)",
        default=7,
        help="Every this many consecutive days of check-in gives the bonus. 0: no bonus.",
    )
    fenxiao_checkin_streak_bonus = fields.Float(string="Streak Bonus Points", default=20)

    @api.constrains(
        "fenxiao_checkin_points", "fenxiao_checkin_streak_days", "fenxiao_checkin_streak_bonus"
    )
    def _check_fenxiao_checkin_settings(self):
        for company in self:
            if (
                company.fenxiao_checkin_points < 0
                or company.fenxiao_checkin_streak_days < 0
                or company.fenxiao_checkin_streak_bonus < 0
            ):
                raise ValidationError(
                    self.env._("Check-in points, streak days and bonus cannot be negative.")
                )
