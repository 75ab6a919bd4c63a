from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fenxiao_checkin_program_id = fields.Many2one(
        related="company_id.fenxiao_checkin_program_id",
        readonly=False,
        domain="[('program_type', '=', 'loyalty'), ('company_id', 'in', [company_id, False])]",
    )
    fenxiao_checkin_points = fields.Float(
        related="company_id.fenxiao_checkin_points", readonly=False
    )
    fenxiao_checkin_streak_days = fields.Integer(
        related="company_id.fenxiao_checkin_streak_days", readonly=False
    )
    fenxiao_checkin_streak_bonus = fields.Float(
        related="company_id.fenxiao_checkin_streak_bonus", readonly=False
    )
