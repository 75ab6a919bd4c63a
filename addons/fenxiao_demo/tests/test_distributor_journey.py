from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .payment_simulators import start_wechatpay


@tagged("post_install", "-at_install")
class TestDistributorJourney(HttpCase):
    """The issue's whole loop, at phone width, on the demo shop: 李娜's link,
    a new shopper who signs up with a mobile number and a text message's code,
    gives a Chinese address without an e-mail and pays with WeChat Pay (its
    simulator), 李娜's centre, her withdrawal and the manager's approval."""

    browser_size = "375x667"
    touch_enabled = True

    def test_link_signup_order_pay_commission_withdraw_approve(self):
        env = self.env
        params = env["ir.config_parameter"].sudo()
        params.set_param("auth_signup.invitation_scope", "b2c")
        # the text message goes to the log; the code the server draws is fixed
        params.set_param("auth_phone_otp.provider", "log")
        env["website"].search([]).auth_signup_uninvited = "b2c"
        self.startPatcher(
            patch.object(type(env["auth.phone.otp.code"]), "_generate_code", lambda self: "246810")
        )
        # the shopper's phone pays WeChat Pay's QR code a second after it shows
        start_wechatpay(self)
        lina = env.ref("fenxiao_demo.dist_lina")
        company = lina.company_id
        company.fenxiao_binding_event = "visit"

        # 1. A friend opens 李娜's link on her phone, signs up by phone, orders and pays.
        self.start_tour(f"/r/{lina.referral_code}?next=/web/login", "fenxiao_demo_journey_shopper")
        shopper = env["res.users"].search([("login_phone", "=", "+8613912340000")])
        self.assertEqual(shopper.partner_id.fenxiao_distributor_id, lina, "bound by the link")
        self.assertRecordValues(
            shopper.partner_id,
            [{"name": "陈晓雨", "city": "杭州市西湖区"}],
        )
        self.assertFalse(shopper.partner_id.email, "no e-mail asked")
        order = env["sale.order"].search([("partner_id", "=", shopper.partner_id.id)])
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.fenxiao_paid_date, "paid through WeChat Pay")
        commission = order.fenxiao_commission_line_ids.filtered(
            lambda line: line.distributor_id == lina
        )
        self.assertEqual(commission.level, 1)
        self.assertEqual(commission.state, "frozen")
        self.assertGreater(commission.amount, 0)

        # 2. 李娜 finds the order and the frozen commission in her centre.
        self.start_tour("/my/fenxiao/orders", "fenxiao_demo_journey_orders", login="distributor")

        # 3. The parcel arrives, the after-sales window closes, the week is settled.
        for picking in order.picking_ids:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.button_validate()
        order.picking_ids.date_done = fields.Datetime.now() - timedelta(
            days=company.fenxiao_commission_freeze_days + 1
        )
        env["fenxiao.commission.line"]._cron_release()
        self.assertEqual(commission.state, "available")
        before = lina.env["fenxiao.withdrawal"]._balances(lina)[lina]
        date_from, date_to = company._fenxiao_settlement_period(company._fenxiao_today())
        # on the Monday after, when the week has ended
        with freeze_time(fields.Datetime.to_datetime(date_to) + timedelta(days=1, hours=4)):
            env["fenxiao.commission.settlement"]._settle(company, date_from, date_to)
        self.assertEqual(commission.state, "settled")
        # everything available (this commission, less the demo's pending
        # clawback of a return) moved to what she can withdraw
        withdrawable = lina.env["fenxiao.withdrawal"]._balances(lina)[lina]["withdrawable"]
        self.assertAlmostEqual(withdrawable, before["withdrawable"] + before["available"])
        self.assertGreater(withdrawable, 0)

        # 4. She withdraws what she can; 5. the manager approves it.
        before = lina.withdrawal_ids
        self.start_tour(
            "/my/fenxiao/withdraw", "fenxiao_demo_journey_withdraw", login="distributor"
        )
        withdrawal = lina.withdrawal_ids - before
        self.assertEqual(len(withdrawal), 1)
        self.assertEqual(withdrawal.amount, withdrawable)
        self.assertEqual(withdrawal.state, "requested")
        self.start_tour(
            f"/odoo/action-fenxiao_commission.action_fenxiao_withdrawal/{withdrawal.id}",
            "fenxiao_demo_journey_approve",
            login="admin",
        )
        self.assertEqual(withdrawal.state, "approved")
