from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestReviewCard(FenxiaoCommissionCase, HttpCase):
    """The centre's overview shows the distributor their latest review and its reason."""

    def _review(self, distributor, outcome, reason, days_ago=0):
        today = fields.Date.context_today(self.env["fenxiao.review"])
        return self.env["fenxiao.review"].create(
            {
                "distributor_id": distributor.id,
                "company_id": self.company.id,
                "date_from": fields.Date.subtract(today, days=30 + days_ago),
                "date_to": fields.Date.subtract(today, days=days_ago),
                "outcome": outcome,
                "reason": reason,
            }
        )

    def test_latest_confirmed_review_and_reason_on_the_overview(self):
        new_test_user(
            self.env,
            "fx_portal_b_review",
            groups="base.group_portal",
            partner_id=self.b.partner_id.id,
        )
        self._review(self.a1, "warning", "旧的考核原因", days_ago=30).action_confirm()
        self._review(self.a1, "suspension", "售后率过高，暂停资格").action_confirm()
        self._review(self.a1, "pass", "草稿不显示")  # a draft is the shop's
        self.assertEqual(self.a1.state, "suspended")
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        page = self.url_open("/my/fenxiao").text
        self.assertIn("o_fenxiao_review", page)
        self.assertIn("售后率过高，暂停资格", page)
        self.assertNotIn("旧的考核原因", page)
        self.assertNotIn("草稿不显示", page)
        self.assertIn("o_fenxiao_suspended", page)
        # another distributor never reads it
        self.authenticate("fx_portal_b_review", "fx_portal_b_review")
        page = self.url_open("/my/fenxiao").text
        self.assertNotIn("售后率过高", page)
        self.assertNotIn("o_fenxiao_review", page)
