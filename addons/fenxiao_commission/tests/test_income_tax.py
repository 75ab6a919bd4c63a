from datetime import date

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..tools.income_tax import labour_remuneration_tax
from .common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestLabourRemunerationTax(TransactionCase):
    """The prepayment at each edge of the deduction and of the brackets."""

    def test_prepayment_at_every_edge(self):
        cases = [
            # income: (deduction, taxable, rate, quick deduction, tax)
            (0, (0, 0, 0.2, 0, 0)),
            (800, (800, 0, 0.2, 0, 0)),
            (800.01, (800, 0.01, 0.2, 0, 0)),
            (1000, (800, 200, 0.2, 0, 40)),
            (4000, (800, 3200, 0.2, 0, 640)),
            (4000.01, (800, 3200.01, 0.2, 0, 640)),  # 20% deducted: 3,200.01 too
            (4000.05, (800.01, 3200.04, 0.2, 0, 640.01)),
            (25000, (5000, 20000, 0.2, 0, 4000)),
            (25000.05, (5000.01, 20000.04, 0.3, 2000, 4000.01)),
            (62500, (12500, 50000, 0.3, 2000, 13000)),
            (62500.05, (12500.01, 50000.04, 0.4, 7000, 13000.02)),
            (100000, (20000, 80000, 0.4, 7000, 25000)),
        ]
        for income, expected in cases:
            with self.subTest(income=income):
                tax = labour_remuneration_tax(income)
                self.assertEqual(
                    (
                        tax["deduction"],
                        tax["taxable"],
                        tax["rate"],
                        tax["quick_deduction"],
                        tax["tax"],
                    ),
                    expected,
                )


@tagged("post_install", "-at_install")
class TestIncomeTaxWithheld(FenxiaoCommissionCase):
    """Withdrawals of a private person withhold the month's prepayment,
    booked to the tax payable in the payout's entry and listed per month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"fenxiao_withhold_income_tax": True})
        cls.company._fenxiao_commission_setup_accounting()
        cls.assertTrue(cls, cls.company.fenxiao_income_tax_account_id)
        cls.Withdrawal = cls.env["fenxiao.withdrawal"]
        cls.account = cls._payout_account(cls.a1)
        cls._owe(cls.a1, 20000.0)

    @classmethod
    def _owe(cls, distributor, amount):
        """What settlements would have put in the distributor's payable."""
        company = cls.company
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": company.fenxiao_commission_journal_id.id,
                "line_ids": [
                    fields.Command.create(
                        {
                            "account_id": company.fenxiao_commission_expense_account_id.id,
                            "debit": amount,
                        }
                    ),
                    fields.Command.create(
                        {
                            "account_id": company.fenxiao_commission_payable_account_id.id,
                            "partner_id": distributor.partner_id.id,
                            "credit": amount,
                        }
                    ),
                ],
            }
        )
        move.action_post()

    def test_the_month_counts_as_one_payment(self):
        first = self.Withdrawal._fenxiao_request(self.a1, 3000.0, self.account)
        # (3,000 − 800) × 20%
        self.assertEqual((first.tax_withheld, first.net_amount), (440.0, 2560.0))
        self.assertEqual(first.tax_month, self.company._fenxiao_today().replace(day=1))
        second = self.Withdrawal._fenxiao_request(self.a1, 2000.0, self.account)
        # the month's 5,000: 5,000 × 80% × 20% = 800, of which 440 withheld already
        self.assertEqual((second.tax_withheld, second.net_amount), (360.0, 1640.0))
        # a rejected request no longer counts for the next one
        second.with_user(self.manager).action_reject("重复申请")
        third = self.Withdrawal._fenxiao_request(self.a1, 1000.0, self.account)
        self.assertEqual(third.tax_withheld, 200.0)  # 4,000 → 640, less 440

    def test_withheld_tax_is_booked_in_the_payout_entry_and_listed(self):
        self.company.fenxiao_withdrawal_fee_percent = 1.0
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 5000.0, self.account)
        self.assertEqual(
            (withdrawal.fee, withdrawal.tax_withheld, withdrawal.net_amount),
            (50.0, 800.0, 4150.0),
        )
        withdrawal.with_user(self.manager).action_approve()
        withdrawal.with_user(self.manager).action_record_payment()
        move = withdrawal.payment_id.move_id
        payable = self.company.fenxiao_commission_payable_account_id
        tax_account = self.company.fenxiao_income_tax_account_id
        by_account = {
            account: sum(
                move.line_ids.filtered(lambda line, a=account: line.account_id == a).mapped(
                    "balance"
                )
            )
            for account in move.line_ids.account_id
        }
        self.assertEqual(by_account[payable], 4950.0, "what was paid and what was withheld")
        self.assertEqual(by_account[tax_account], -800.0)
        self.assertAlmostEqual(sum(by_account.values()), 0.0, places=2)
        self.assertEqual(withdrawal.payment_id.amount, 4150.0, "the transfer is net")
        self.assertTrue(move.line_ids.filtered(lambda line: line.account_id == payable).reconciled)
        balance = self.Withdrawal._balances(self.a1)[self.a1]
        self.assertEqual(balance["payable"], 15000.0)

        self.env.flush_all()
        listed = self.env["fenxiao.income.tax.line"].search(
            [("partner_id", "=", self.a1.partner_id.id)]
        )
        self.assertRecordValues(
            listed,
            [
                {
                    "income": 5000.0,
                    "deduction": 1000.0,
                    "taxable": 4000.0,
                    "rate": 20.0,
                    "tax_due": 800.0,
                    "tax_withheld": 800.0,
                }
            ],
        )
        statement = self.env["fenxiao.commission.statement"].create(
            {
                "distributor_ids": [(6, 0, self.a1.ids)],
                "date_from": date(2000, 1, 1),
                # the statement's days are the company's (Shanghai's), not UTC's
                "date_to": self.company._fenxiao_today(),
            }
        )
        self.assertEqual(statement.line_ids.tax_withheld, 800.0)

    def test_a_company_or_a_shop_that_does_not_withhold_withholds_nothing(self):
        self.a1.partner_id.is_company = True
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 5000.0, self.account)
        self.assertEqual((withdrawal.tax_withheld, withdrawal.net_amount), (0.0, 5000.0))
        self.a1.partner_id.is_company = False
        self.company.fenxiao_withhold_income_tax = False
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 5000.0, self.account)
        self.assertEqual(withdrawal.tax_withheld, 0.0)
