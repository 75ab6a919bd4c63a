from odoo import api, fields, models

ACTIONS = [
    ("up", "Moves up"),
    ("down", "Moves down"),
    ("at_risk", "Becomes at risk"),
    ("clear", "No longer at risk"),
]


class FenxiaoTierPreview(models.TransientModel):
    """Who the tier rules would change today, and why; nothing is written
    until a manager applies them (the daily run does the same)."""

    _name = "fenxiao.tier.preview"
    _description = "Preview Tier Changes"

    line_ids = fields.One2many("fenxiao.tier.preview.line", "preview_id", string="Changes")
    up_count = fields.Integer(compute="_compute_counts")
    down_count = fields.Integer(compute="_compute_counts")
    at_risk_count = fields.Integer(compute="_compute_counts")

    @api.depends("line_ids.action")
    def _compute_counts(self):
        for preview in self:
            actions = preview.line_ids.mapped("action")
            preview.up_count = actions.count("up")
            preview.down_count = actions.count("down")
            preview.at_risk_count = actions.count("at_risk")

    @api.model
    def action_open(self):
        self.env["res.users"]._fenxiao_check_manager()
        Distributor = self.env["fenxiao.distributor"].sudo()
        changes = Distributor._fenxiao_tier_evaluation()
        preview = self.create(
            {
                "line_ids": [
                    fields.Command.create(
                        {
                            "distributor_id": change["distributor"].id,
                            "action": change["action"],
                            "old_tier_id": change["old_tier"].id,
                            "new_tier_id": change["new_tier"].id,
                            "figures": Distributor._fenxiao_tier_figures_text(change["figures"]),
                        }
                    )
                    for change in changes
                ]
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview Tier Changes"),
            "res_model": self._name,
            "res_id": preview.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_apply(self):
        """Apply the rules as the daily run would, evaluated again now."""
        self.env["res.users"]._fenxiao_check_manager()
        Distributor = self.env["fenxiao.distributor"].sudo()
        changes = Distributor._fenxiao_tier_apply(Distributor._fenxiao_tier_evaluation())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%s tier changes applied.", len(changes)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class FenxiaoTierPreviewLine(models.TransientModel):
    _name = "fenxiao.tier.preview.line"
    _description = "Preview Tier Change"
    _order = "action, id"

    preview_id = fields.Many2one("fenxiao.tier.preview", required=True, ondelete="cascade")
    distributor_id = fields.Many2one("fenxiao.distributor", readonly=True)
    action = fields.Selection(ACTIONS, readonly=True)
    old_tier_id = fields.Many2one("fenxiao.tier", string="Tier Now", readonly=True)
    new_tier_id = fields.Many2one("fenxiao.tier", string="Tier After", readonly=True)
    figures = fields.Text(readonly=True)
