from odoo import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRewardDescription(TransactionCase):
    """An amount off the whole order reads as one Chinese sentence, on the
    promotion and on the cart line it adds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.cny = cls.env.ref("base.CNY")
        cls.cny.active = True

    def _reward(self, **values):
        program = (
            self.env["loyalty.program"]
            .with_context(lang="zh_CN")
            .create(
                {
                    "name": "满299减50",
                    "program_type": "promotion",
                    "trigger": "auto",
                    "currency_id": self.cny.id,
                    "rule_ids": [Command.create({"minimum_amount": 299})],
                    "reward_ids": [
                        Command.create(
                            {
                                "reward_type": "discount",
                                "discount_mode": "per_order",
                                "discount": 50,
                                "discount_applicability": "order",
                                **values,
                            }
                        )
                    ],
                }
            )
        )
        return program.reward_ids

    def test_amount_off_the_order_is_one_sentence(self):
        self.assertEqual(self._reward().description, "整单立减 ¥50")

    def test_other_rewards_keep_odoo_s_description(self):
        reward = self._reward(discount_mode="percent", discount=10)
        self.assertNotIn("整单立减", reward.description)
