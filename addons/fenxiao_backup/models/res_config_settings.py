# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fenxiao_backup_last_date = fields.Datetime(
        "Last successful backup",
        compute="_compute_fenxiao_backup",
        groups="base.group_system",
    )
    fenxiao_backup_state = fields.Selection(
        [
            ("none", "No backup configured"),
            ("never", "No backup succeeded yet"),
            ("stale", "Out of date"),
            ("ok", "Up to date"),
        ],
        string="Backups",
        compute="_compute_fenxiao_backup",
        groups="base.group_system",
    )

    def _compute_fenxiao_backup(self):
        last, state = self.env["db.backup"]._get_freshness()
        for settings in self:
            settings.fenxiao_backup_last_date = last
            settings.fenxiao_backup_state = state
