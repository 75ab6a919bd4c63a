from odoo.tests import HttpCase, tagged

from odoo.addons.fenxiao_ranking.tests.common import FenxiaoRankingCase, beijing

from .test_rewards import JULY


@tagged("post_install", "-at_install")
class TestRewardInTheCentre(FenxiaoRankingCase, HttpCase):
    """A distributor sees their reward in their commission ledger, as 奖励."""

    def test_reward_line_in_the_distributor_ledger(self):
        customer = self._customer("顾客 C1")
        self._sale(self.a1, customer, 500, beijing(2019, 7, 2, 10, 0))
        rule = self.env["fenxiao.reward.rule"].create(
            {"name": "七月销冠 July champion", "metric": "sales", "amount": 88.0}
        )
        reward = rule._fenxiao_grant(JULY)
        self.assertEqual(reward.distributor_id, self.a1)
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        response = self.url_open("/my/fenxiao/commission?kind=reward")
        self.assertEqual(response.status_code, 200)
        self.assertIn("七月销冠 July champion", response.text)
        self.assertIn("88.00", response.text)
        self.assertIn('<option value="reward" selected', response.text.replace("\n", " "))
        # and the other kinds' filter leaves it out
        response = self.url_open("/my/fenxiao/commission?kind=commission")
        self.assertNotIn("七月销冠 July champion", response.text)
