from psycopg2 import IntegrityError

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestWelcomeCoupon(FenxiaoCommissionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        wizard = cls.env["fenxiao.promotion.wizard"].create(
            {"template": "welcome", "discount_amount": 20, "activate": True}
        )
        cls.program = wizard._create_program()
        cls.Card = cls.env["loyalty.card"]

    def _welcome_cards(self, partner):
        return self.Card.search(
            [("partner_id", "=", partner.id), ("program_id", "=", self.program.id)]
        )

    def test_company_setting_points_to_the_new_program(self):
        self.assertEqual(self.env.company.fenxiao_welcome_program_id, self.program)
        self.assertEqual(self.program.program_type, "coupons")

    def test_new_portal_user_gets_one_coupon(self):
        user = new_test_user(self.env, "fx_new_shopper", groups="base.group_portal")
        cards = self._welcome_cards(user.partner_id)
        self.assertEqual(len(cards), 1)
        self.assertTrue(cards.code)
        self.assertEqual(cards.points, 1)

    def test_phone_sign_up_gets_the_coupon_once(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.invitation_scope", "b2c")
        Users = self.env["res.users"]
        user = Users._phone_otp_find_or_signup("+8613800138123")
        again = Users._phone_otp_find_or_signup("+8613800138123")  # second sign-in
        self.assertEqual(user, again)
        self.assertEqual(len(self._welcome_cards(user.partner_id)), 1)
        # asked again for the same partner: still one
        self.Card._fenxiao_give_welcome_coupon(user.partner_id)
        self.assertEqual(len(self._welcome_cards(user.partner_id)), 1)

    def test_internal_user_gets_none(self):
        user = new_test_user(self.env, "fx_new_clerk", groups="base.group_user")
        self.assertFalse(self._welcome_cards(user.partner_id))

    def test_the_coupon_discounts_the_first_order(self):
        user = new_test_user(self.env, "fx_new_shopper2", groups="base.group_portal")
        card = self._welcome_cards(user.partner_id)
        order = self._order(user.partner_id, [(self.p100, 1)])
        order.action_cancel()
        order.action_draft()
        result = order._try_apply_code(card.code)
        self.assertNotIn("error", result)
        order._apply_program_reward(self.program.reward_ids, card)
        self.assertEqual(order.amount_total, 80.0)

    def test_the_database_refuses_a_second_welcome_coupon(self):
        user = new_test_user(self.env, "fx_new_shopper3", groups="base.group_portal")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.Card.create(
                {
                    "program_id": self.program.id,
                    "partner_id": user.partner_id.id,
                    "points": 1,
                    "fenxiao_welcome": True,
                }
            )


@tagged("post_install", "-at_install")
class TestMyCoupons(HttpCase):
    def test_my_page_shows_the_welcome_coupon(self):
        program = (
            self.env["fenxiao.promotion.wizard"]
            .create({"template": "welcome", "discount_amount": 20, "activate": True})
            ._create_program()
        )
        self.env.company.fenxiao_welcome_program_id = program
        user = new_test_user(
            self.env, "fx_coupon_page", groups="base.group_portal", password="fx_coupon_page"
        )
        other = new_test_user(self.env, "fx_coupon_other", groups="base.group_portal")
        card = self.env["loyalty.card"]._fenxiao_portal_coupons(user.partner_id)
        other_card = self.env["loyalty.card"]._fenxiao_portal_coupons(other.partner_id)
        self.assertEqual(len(card), 1)
        self.authenticate("fx_coupon_page", "fx_coupon_page")
        page = self.url_open("/my").text
        self.assertIn(card.code, page)
        self.assertNotIn(other_card.code, page)
