from odoo import api, fields, models

# The rule a tier's required courses read as (see ``_fenxiao_rules``). Its
# ``period_days`` carries the tier's id: figures are keyed by (metric,
# period_days), and each tier requires its own courses.
REQUIRED_COURSES = "required_courses"


class FenxiaoTier(models.Model):
    _inherit = "fenxiao.tier"

    required_course_ids = fields.Many2many(
        "slide.channel",
        "fenxiao_tier_slide_channel_rel",
        "tier_id",
        "channel_id",
        string="Required Courses",
        help="Courses a distributor must have completed to reach this tier, on top of its "
        "conditions (whether all or any of them must be met).",
    )

    @api.depends(
        "condition_ids.metric",
        "condition_ids.threshold",
        "condition_ids.period_days",
        "condition_logic",
        "min_team_sales",
        "required_course_ids",
    )
    @api.depends_context("lang", "company")
    def _compute_rules_text(self):
        return super()._compute_rules_text()

    def _fenxiao_rules(self):
        """The conditions, then one rule for the required courses: their
        number is the threshold, the share of them done the value (a course
        counts 1 only once completed, so the rule is met when all are).
        ``_fenxiao_tier_met`` makes it a requirement whatever the logic."""
        rules = super()._fenxiao_rules()
        if self.required_course_ids:
            rules.append(
                {
                    "metric": REQUIRED_COURSES,
                    "threshold": len(self.required_course_ids),
                    "period_days": self.id,
                }
            )
        return rules


class FenxiaoTierCondition(models.Model):
    _inherit = "fenxiao.tier.condition"

    @api.model
    def _fenxiao_sentence(self, metric, threshold, period_days, value=None):
        if metric != REQUIRED_COURSES:
            return super()._fenxiao_sentence(metric, threshold, period_days, value)
        tier = self.env["fenxiao.tier"].browse(period_days).exists()
        sentence = self.env._(
            "Required courses completed: %s",
            ", ".join(tier.required_course_ids.mapped("name")) if tier else int(threshold),
        )
        if value is None:
            return sentence
        return self.env._(
            "%(condition)s: %(value)s of %(threshold)s %(verdict)s",
            condition=sentence,
            value=int(value or 0),  # courses completed, not the half-done
            threshold=int(threshold),
            verdict=self.env._("met") if value >= threshold else self.env._("not met"),
        )
