from odoo import api, fields, models
from odoo.exceptions import UserError


class FenxiaoRewardGrant(models.TransientModel):
    """Grant the rewards of an ended period by hand, after a preview."""

    _name = "fenxiao.reward.grant"
    _description = "Grant Rewards for a Period"

    def _default_day(self):
        today = self.env.company._fenxiao_today()
        return fields.Date.subtract(today.replace(day=1), days=1)

    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    day = fields.Date(
        string="A Day of the Period",
        required=True,
        default=_default_day,
        help="Each rule rewards its week or month that contains this day.",
    )
    rule_ids = fields.Many2many(
        "fenxiao.reward.rule",
        string="Rules",
        default=lambda self: self.env["fenxiao.reward.rule"].search(
            [("company_id", "=", self.env.company.id)]
        ),
    )
    preview = fields.Text(compute="_compute_preview")

    @api.depends("day", "rule_ids")
    def _compute_preview(self):
        for wizard in self:
            if not wizard.day or not wizard.rule_ids:
                wizard.preview = False
                continue
            rows = []
            granted = self.env["fenxiao.reward"].search([("rule_id", "in", wizard.rule_ids.ids)])
            done = {(r.rule_id.id, r.distributor_id.id, r.date_from) for r in granted}
            for candidate in wizard.rule_ids._fenxiao_candidates(wizard.day):
                rule, distributor = candidate["rule"], candidate["distributor"]
                if rule.reward_type == "points":
                    what = self.env._("%s points", candidate["points"])
                else:
                    what = rule.currency_id.format(candidate["amount"])
                key = (rule.id, distributor.id, candidate["date_from"])
                rows.append(
                    "{} {} – {}: #{} {} → {}{}".format(
                        rule.name,
                        candidate["date_from"],
                        candidate["date_to"],
                        candidate["rank"],
                        distributor.name,
                        what,
                        self.env._(" (already granted)") if key in done else "",
                    )
                )
            wizard.preview = "\n".join(rows) or self.env._("Nobody earns a reward.")

    def action_grant(self):
        self.ensure_one()
        Distributor = self.env["fenxiao.distributor"]
        for rule in self.rule_ids:
            today = rule.company_id._fenxiao_today()
            _first, last, _start, _end = Distributor._fenxiao_ranking_period(
                rule.company_id, rule.period_kind, self.day
            )
            if last >= today:
                raise UserError(
                    self.env._(
                        "The period of %(rule)s until %(date)s has not ended yet.",
                        rule=rule.name,
                        date=fields.Date.to_string(last),
                    )
                )
        rewards = self.rule_ids._fenxiao_grant(self.day)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "fenxiao_reward.action_fenxiao_reward"
        )
        action["domain"] = [("id", "in", rewards.ids)]
        return action
