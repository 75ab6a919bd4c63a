from odoo import models


class LoyaltyReward(models.Model):
    # The shop's promotion badges are cached (website._fenxiao_badge_products):
    # any change of a promotion works them out again.
    _name = "loyalty.reward"
    _inherit = ["loyalty.reward", "fenxiao.registry.cache.mixin"]

    def _fenxiao_write_clears_cache(self, vals):
        return True

    def _compute_description(self):  # pylint: disable=missing-return
        """An amount off the whole order, as the cart line and the promotion
        say it. Odoo joins two halves ('%s on ' + 'your order') that its
        zh_CN cannot join naturally (¥ 50用于 您的订单): one sentence here."""
        super()._compute_description()
        amount_off_order = self.filtered(
            lambda reward: reward.program_type not in ("gift_card", "ewallet")
            and reward.reward_type == "discount"
            and reward.discount_mode == "per_order"
            and reward.discount_applicability == "order"
            and not reward.discount_max_amount
        )
        for reward in amount_off_order:
            currency = reward.currency_id
            amount = (
                f"{currency.symbol}{reward.discount:g}"
                if currency.position == "before"
                else f"{reward.discount:g} {currency.symbol}"
            )
            reward.description = self.env._("%(amount)s off your order", amount=amount)
