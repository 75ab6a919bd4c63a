from odoo import api, models
from odoo.tools import SQL

from .fenxiao_tier import REQUIRED_COURSES


class FenxiaoDistributor(models.Model):
    """Courses in the tier rules: the ``courses`` metric, and the courses a
    tier requires on top of its conditions."""

    _inherit = "fenxiao.distributor"

    def _fenxiao_completed_courses(self, channel_ids=None):
        """[(distributor id, course id)] of the courses each distributor of
        ``self`` has completed (eLearning's member status ``completed``), only
        among ``channel_ids`` when given. One statement for all of them."""
        self.env["slide.channel.partner"].flush_model(
            ["partner_id", "channel_id", "member_status", "active"]
        )
        self.flush_model(["partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT d.id, m.channel_id
                  FROM slide_channel_partner m
                  JOIN fenxiao_distributor d ON d.partner_id = m.partner_id
                 WHERE m.member_status = 'completed' AND m.active
                   AND d.id = ANY(%(ids)s) %(channels)s
                """,
                ids=self.ids,
                channels=SQL("AND m.channel_id = ANY(%s)", list(channel_ids))
                if channel_ids is not None
                else SQL(),
            )
        )
        return self.env.cr.fetchall()

    def _fenxiao_tier_metric_courses(self, date_from):
        """Courses completed, {distributor id: count}, in one grouped statement.

        eLearning keeps no completion date (``slide.channel.partner`` only has
        its status), so a course completed counts whatever the condition's
        period: ``date_from`` is ignored.
        """
        counts = {}
        for distributor_id, __ in self._fenxiao_completed_courses():
            counts[distributor_id] = counts.get(distributor_id, 0) + 1
        return counts

    def _fenxiao_course_standing(self, channel_ids):
        """{distributor id: {course id: share done}} in ``channel_ids``: 1 for
        a completed course, its completion below that (at most 0.99, so that
        only a completed course makes a whole). One statement."""
        self.env["slide.channel.partner"].flush_model(
            ["partner_id", "channel_id", "member_status", "completion", "active"]
        )
        self.flush_model(["partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT d.id, m.channel_id,
                       CASE WHEN m.member_status = 'completed' THEN 1.0
                            ELSE LEAST(COALESCE(m.completion, 0), 99) / 100.0 END
                  FROM slide_channel_partner m
                  JOIN fenxiao_distributor d ON d.partner_id = m.partner_id
                 WHERE m.active AND d.id = ANY(%s) AND m.channel_id = ANY(%s)
                """,
                self.ids,
                list(channel_ids),
            )
        )
        standing = {}
        for distributor_id, channel_id, share in self.env.cr.fetchall():
            standing.setdefault(distributor_id, {})[channel_id] = float(share)
        return standing

    def _fenxiao_tier_figures(self, pairs, now=None):
        # the required courses' rules ("required_courses", tier id): how much
        # of that tier's courses each distributor has done (a completed course
        # counts 1, a half-done one 0.5), from one statement over the courses
        # of all those tiers
        required = {pair for pair in pairs if pair[0] == REQUIRED_COURSES}
        figures = super()._fenxiao_tier_figures(set(pairs) - required, now)
        if not required:
            return figures
        tiers = self.env["fenxiao.tier"].browse([tier_id for __, tier_id in required])
        standing = self._fenxiao_course_standing(tiers.required_course_ids.ids) if self else {}
        for tier in tiers:
            courses = tier.required_course_ids.ids
            figures[REQUIRED_COURSES, tier.id] = {
                distributor_id: sum(shares.get(course, 0.0) for course in courses)
                for distributor_id, shares in standing.items()
            }
        return figures

    @api.model
    def _fenxiao_tier_met(self, rules, logic, figures, distributor_id):
        """The conditions as the tier's logic says, and its required courses in
        any case: a tier whose conditions are met is not reached until its
        courses are completed."""
        courses = [rule for rule in rules if rule["metric"] == REQUIRED_COURSES]
        if not courses:
            return super()._fenxiao_tier_met(rules, logic, figures, distributor_id)
        conditions = [rule for rule in rules if rule["metric"] != REQUIRED_COURSES]
        return all(
            (figures[rule["metric"], rule["period_days"]].get(distributor_id) or 0)
            >= rule["threshold"]
            for rule in courses
        ) and (
            not conditions or super()._fenxiao_tier_met(conditions, logic, figures, distributor_id)
        )

    def _tier_progress(self):
        # A tier reached by any of its conditions still requires its courses:
        # its share is the best condition's, capped by the courses' (the base
        # takes the best of all its rules, the courses one among them).
        progress = super()._tier_progress()
        tiers = {
            tier
            for tier, __ in progress.values()
            if tier and tier.condition_logic == "any" and tier.required_course_ids
        }
        if not tiers:
            return progress
        rules = {tier: tier._fenxiao_rules() for tier in tiers}
        pairs = {(rule["metric"], rule["period_days"]) for tier in tiers for rule in rules[tier]}
        figures = self.filtered("id")._fenxiao_tier_figures(pairs)

        def share(rule, distributor_id):
            value = figures[rule["metric"], rule["period_days"]].get(distributor_id) or 0.0
            return min(value / rule["threshold"], 1.0)

        for distributor, (tier, __) in progress.items():
            if tier not in tiers:
                continue
            courses = [
                share(rule, distributor.id)
                for rule in rules[tier]
                if rule["metric"] == REQUIRED_COURSES
            ]
            conditions = [
                share(rule, distributor.id)
                for rule in rules[tier]
                if rule["metric"] != REQUIRED_COURSES
            ]
            progress[distributor] = (tier, min(courses + ([max(conditions)] if conditions else [])))
        return progress

    def _fenxiao_required_courses(self, tier):
        """The courses ``tier`` requires, as this distributor stands in them:
        [{course, completion (0-100), completed}], in the course order."""
        self.ensure_one()
        courses = tier.required_course_ids.sorted(lambda course: (course.sequence, course.id))
        members = {
            member.channel_id: member
            for member in self.env["slide.channel.partner"].search(
                [
                    ("channel_id", "in", courses.ids),
                    ("partner_id", "=", self.partner_id.id),
                ]
            )
        }
        result = []
        for course in courses:
            member = members.get(course)
            completed = bool(member) and member.member_status == "completed"
            result.append(
                {
                    "course": course,
                    "completion": 100 if completed else (member.completion if member else 0),
                    "completed": completed,
                }
            )
        return result

    def _portal_dashboard(self, tz_name):
        dashboard = super()._portal_dashboard(tz_name)
        next_tier = dashboard["next_tier"]
        dashboard["required_courses"] = (
            self.sudo()._fenxiao_required_courses(next_tier) if next_tier else []
        )
        return dashboard
