from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fenxiao_welcome_program_id = fields.Many2one(
        related="company_id.fenxiao_welcome_program_id", readonly=False
    )
