from lxml import html

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase

from .common import FenxiaoTrainingMixin


@tagged("post_install", "-at_install")
class TestCentreCourses(FenxiaoTrainingMixin, FenxiaoCommissionCase, HttpCase):
    """The centre's overview lists the courses the next tier requires."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.basic = cls.env.ref("fenxiao.tier_basic")
        cls.silver = cls.env.ref("fenxiao.tier_silver")
        cls.env["fenxiao.tier"].search([("sequence", ">", cls.basic.sequence)]).filtered(
            lambda tier: tier.sequence < cls.silver.sequence
        ).write({"condition_ids": [Command.clear()], "min_team_sales": 0})
        cls.knowledge = cls._course("产品知识：云裳修护系列", lessons=2)
        cls.compliance = cls._course("合规分销：不做传销", lessons=2)
        cls.silver.write(
            {
                "min_team_sales": 0,
                "condition_ids": [
                    Command.clear(),
                    Command.create({"metric": "personal_sales", "threshold": 100000.0}),
                ],
                "required_course_ids": [Command.set((cls.knowledge | cls.compliance).ids)],
            }
        )
        cls.a1.with_context(fenxiao_logged_change=True).tier_id = cls.basic
        cls._learn(cls.a1.partner_id, cls.knowledge)
        cls._learn(cls.a1.partner_id, cls.compliance, lessons=1)

    def _overview(self):
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        response = self.url_open("/my/fenxiao")
        self.assertEqual(response.status_code, 200)
        return response.text

    def _courses(self, page):
        """{course name: (completion text, completed, link)} of the overview."""
        items = html.fromstring(page).xpath(
            "//div[contains(@class, 'o_fenxiao_required_courses')]"
            "//li[contains(@class, 'o_fenxiao_required_course')]"
        )
        return {
            item.xpath("string(.//*[contains(@class, 'o_fenxiao_course_name')])").strip(): (
                item.xpath("string(.//*[contains(@class, 'o_fenxiao_course_completion')])").strip(),
                "o_fenxiao_course_completed" in item.get("class")
                and bool(item.xpath(".//i[contains(@class, 'fa-check-circle')]")),
                item.xpath("string(.//a/@href)"),
            )
            for item in items
        }

    def test_overview_shows_required_courses_with_their_completion(self):
        self.assertEqual(
            self._courses(self._overview()),
            {
                self.knowledge.name: ("100%", True, self.knowledge.website_url),
                self.compliance.name: ("50%", False, self.compliance.website_url),
            },
        )

    def test_no_course_section_when_the_next_tier_requires_none(self):
        self.silver.required_course_ids = [Command.clear()]
        self.assertNotIn("o_fenxiao_required_courses", self._overview())
        self.silver.required_course_ids = self.compliance
        self.assertIn("o_fenxiao_required_courses", self._overview())
