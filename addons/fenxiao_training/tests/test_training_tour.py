from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTrainingTour(HttpCase):
    """The demo merchant's distributor 李娜 (fenxiao_demo) on a phone."""

    browser_size = "375x667"

    def test_distributor_sees_rank_progress_and_opens_a_required_course(self):
        if not self.env.ref("fenxiao_demo.tier_diamond", raise_if_not_found=False):
            self.skipTest("the demo merchant (fenxiao_demo) is not installed")
        self.start_tour(
            "/my/fenxiao/ranking", "fenxiao_training_required_course", login="distributor"
        )
