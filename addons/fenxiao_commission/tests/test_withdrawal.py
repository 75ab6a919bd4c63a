from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import config, mute_logger

from .common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestWithdrawal(FenxiaoCommissionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._earn()  # a1: 100.00 settled into the payable
        cls.account = cls._payout_account(cls.a1)
        cls.Withdrawal = cls.env["fenxiao.withdrawal"]

    @classmethod
    def _earn(cls, qty=10):
        order = cls._paid_order(cls.customer, [(cls.p100, qty)])
        for picking in order.picking_ids:
            picking.move_ids.quantity = 10
            picking.button_validate()
            picking.date_done = "2000-01-01"
        cls.env["fenxiao.commission.line"]._cron_release()
        company = cls.company
        date_from, date_to = company._fenxiao_settlement_period(order.fenxiao_paid_date.date())
        with cls._after(date_to):
            cls.env["fenxiao.commission.settlement"]._settle(company, date_from, date_to)

    def test_balance_comes_from_the_accounting(self):
        balance = self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]
        self.assertEqual((balance["payable"], balance["withdrawable"]), (100.0, 100.0))
        self.assertEqual(self.a1.withdrawable_balance, 100.0)
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 30.0, self.account)
        self.assertEqual(
            self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]["withdrawable"], 70.0
        )
        withdrawal.action_reject("银行卡户名不符")
        self.assertEqual(
            self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]["withdrawable"], 100.0
        )

    def test_request_checks(self):
        other_account = self._payout_account(self.a)
        cases = [
            ("abc", self.account, "amount"),
            (-5, self.account, "two decimals"),
            (10.005, self.account, "two decimals"),
            (1e12, self.account, "two decimals"),
            (5.0, self.account, "minimum"),
            (100.01, self.account, "at most"),
            (20.0, other_account, "your own"),
        ]
        for amount, account, message in cases:
            with self.subTest(amount=amount), self.assertRaisesRegex(UserError, message):
                self.Withdrawal._fenxiao_request(self.a1, amount, account)
        self.assertFalse(self.Withdrawal.search([("distributor_id", "=", self.a1.id)]))
        self.account.action_archive()
        with self.assertRaisesRegex(UserError, "removed"):
            self.Withdrawal._fenxiao_request(self.a1, 20.0, self.account)

    def test_fee_percent_and_fixed(self):
        self.company.fenxiao_withdrawal_fee_percent = 0.6
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 50.0, self.account)
        self.assertEqual((withdrawal.fee, withdrawal.net_amount), (0.30, 49.70))
        self.company.write(
            {"fenxiao_withdrawal_fee_type": "fixed", "fenxiao_withdrawal_fee_fixed": 2.0}
        )
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 20.0, self.account)
        self.assertEqual((withdrawal.fee, withdrawal.net_amount), (2.0, 18.0))
        self.company.fenxiao_withdrawal_min_amount = 1.0
        with self.assertRaisesRegex(UserError, "fee"):
            self.Withdrawal._fenxiao_request(self.a1, 2.0, self.account)

    def test_approve_pay_and_reconcile(self):
        self.company.fenxiao_withdrawal_fee_percent = 1.0
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 80.0, self.account)
        withdrawal.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, "already been handled"):
            withdrawal.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, "Record Payment"):
            withdrawal.with_user(self.manager).action_payout()  # no gateway for bank cards
        withdrawal.with_user(self.manager).action_record_payment()
        self.assertEqual(withdrawal.state, "paid")
        payment = withdrawal.payment_id
        self.assertEqual(
            (payment.state, payment.amount, payment.partner_id),
            ("in_process", 79.20, self.a1.partner_id),
        )
        self.assertEqual(withdrawal.fee_move_id.amount_total, 0.80)
        payable = self.company.fenxiao_commission_payable_account_id
        lines = self.env["account.move.line"].search(
            [("account_id", "=", payable.id), ("partner_id", "=", self.a1.partner_id.id)]
        )
        self.assertAlmostEqual(sum(lines.mapped("amount_residual")), -20.0, places=2)
        self.assertTrue(
            payment.move_id.line_ids.filtered(lambda line: line.account_id == payable).reconciled
        )
        self.assertEqual(
            self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]["withdrawable"], 20.0
        )
        with self.assertRaisesRegex(UserError, "already been handled"):
            withdrawal.with_user(self.manager).action_reject("late")

    def test_amounts_and_status_change_only_through_the_flow(self):
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 30.0, self.account)
        for values in ({"amount": 3000.0}, {"state": "paid"}, {"net_amount": 1.0}):
            with self.subTest(values=values), self.assertRaisesRegex(UserError, "buttons"):
                withdrawal.with_user(self.manager).write(values)

    def test_officer_cannot_review(self):
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 30.0, self.account)
        with self.assertRaises(UserError):
            withdrawal.with_user(self.officer).action_approve()
        with self.assertRaisesRegex(UserError, "why"):
            withdrawal.with_user(self.manager).action_reject("  ")

    def test_gateway_interface(self):
        withdrawal = self.Withdrawal._fenxiao_request(
            self.a1, 30.0, self._payout_account(self.a1, "wechat")
        )
        withdrawal.action_approve()
        Gateway = type(self.env["fenxiao.payout.gateway"])
        with (
            patch.object(Gateway, "_fenxiao_payout_methods", return_value={"wechat"}),
            patch.object(
                Gateway,
                "_fenxiao_payout_send",
                side_effect=lambda ws: {
                    w: {"state": "pending", "reference": "1030000071100999"} for w in ws
                },
            ),
        ):
            withdrawal.action_payout()
        self.assertEqual(
            (withdrawal.state, withdrawal.payout_reference), ("paying", "1030000071100999")
        )
        self.assertEqual(
            self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]["withdrawable"], 70.0
        )
        withdrawal._fenxiao_payout_failed("NAME_MISMATCH 姓名不一致")
        self.assertEqual(withdrawal.state, "failed")
        self.assertEqual(
            self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]["withdrawable"], 100.0
        )

    def test_account_numbers_encrypted_at_rest(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT account_number_encrypted, account_number_masked "
            "FROM fenxiao_payout_account WHERE id = %s",
            [self.account.id],
        )
        encrypted, masked = self.env.cr.fetchone()
        self.assertNotIn("6225881234567890", encrypted)
        self.assertEqual(masked, "************7890")
        self.assertEqual(self.account._get_account_number(), "6225881234567890")
        self.assertFalse(self.account.account_number, "never read back into a form")
        with patch.dict(config.options, {"fenxiao_encryption_key": "another key"}):
            with self.assertRaisesRegex(UserError, "another key"):
                self.account._get_account_number()
        with patch.dict(config.options, {"fenxiao_encryption_key": ""}):
            with self.assertRaisesRegex(UserError, "fenxiao_encryption_key"):
                self._payout_account(self.a1)
        with self.assertRaisesRegex(UserError, "12 to 19"), mute_logger("odoo.sql_db"):
            self.env["fenxiao.payout.account"].create(
                {
                    "distributor_id": self.a1.id,
                    "method": "bank",
                    "holder_name": "x",
                    "bank_name": "y",
                    "account_number": "12ab",
                }
            )
        self.assertEqual(self.env["fenxiao.payout.account"]._mask("13812345678"), "138****5678")
