from unittest.mock import patch

from odoo import Command
from odoo.tests import Form, tagged

from .common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestReversals(FenxiaoCommissionCase):
    """Refunds, returns and cancellations add negative lines, never edit one."""

    def _reversals(self, order):
        return order.fenxiao_commission_line_ids.filtered(lambda line: line.kind == "reversal")

    def test_partial_credit_note_before_settlement(self):
        order = self._paid_order(self.customer, [(self.p100, 2), (self.p50, 1)])
        originals = order.fenxiao_commission_line_ids
        amounts = originals.mapped("amount")
        credit_note = self._credit_note(order, {self.p100: 1})
        reversals = self._reversals(order)
        self.assertEqual(
            sorted((line.distributor_id.id, line.amount) for line in reversals),
            sorted([(self.a1.id, -10.0), (self.a.id, -5.0)]),
        )
        self.assertEqual(set(reversals.mapped("reversal_cause")), {"credit_note"})
        self.assertEqual(set(reversals.mapped("origin")), {credit_note.name})
        self.assertEqual(set(reversals.mapped("state")), {"frozen"}, "nets before release")
        self.assertEqual(originals.mapped("amount"), amounts, "originals untouched")
        # posting the same refund again (or any other trigger) adds nothing more
        self.env["fenxiao.commission.line"]._reverse(order, "credit_note")
        self.assertEqual(len(self._reversals(order)), 2)

    def test_credit_note_before_payment(self):
        order = self._order(self.customer, [(self.p100, 2)])
        invoice = order._create_invoices()
        invoice.action_post()
        self._credit_note(order, {self.p100: 1})  # half credited before paying
        self.assertFalse(order.fenxiao_commission_line_ids)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertEqual(sum(order.fenxiao_commission_line_ids.mapped("amount")), 15.0)

    def test_return_and_its_credit_note_count_once(self):
        order = self._paid_order(self.customer, [(self.p100, 2)])
        self._deliver(order)
        picking = order.picking_ids
        wizard_form = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        )
        wizard = wizard_form.save()
        wizard.product_return_moves.quantity = 1
        return_picking = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        return_picking.move_ids.quantity = 1
        return_picking.button_validate()
        reversals = self._reversals(order)
        self.assertEqual(sorted(reversals.mapped("amount")), [-10.0, -5.0])
        self.assertEqual(set(reversals.mapped("reversal_cause")), {"return"})
        self._credit_note(order, {self.p100: 1})
        self.assertEqual(
            len(self._reversals(order)), 2, "the refund of the returned jar is the same jar"
        )

    def test_cancelled_order_reverses_everything(self):
        order = self._paid_order(self.customer, [(self.p100, 1), (self.p50, 3)])
        self._credit_note(order, {self.p100: 1, self.p50: 3})
        self.assertEqual(sum(order.fenxiao_commission_line_ids.mapped("amount")), 0.0)
        order._action_cancel()
        self.assertEqual(sum(order.fenxiao_commission_line_ids.mapped("amount")), 0.0)

    def test_refund_after_settlement_is_clawed_back(self):
        order = self._paid_order(self.customer, [(self.p100, 2)])
        self._release(order)
        first = self._settle_now()
        self.assertEqual(first.amount_total, 30.0)
        self.assertEqual(
            self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]["payable"], 20.0
        )
        self._credit_note(order, {self.p100: 2})
        reversals = self._reversals(order)
        self.assertEqual(set(reversals.mapped("state")), {"available"})
        second = self._settle_now(first.date_to + self._one_week)
        self.assertEqual(second.amount_total, -30.0)
        move = second.move_id
        payable = move.line_ids.filtered(lambda line: line.partner_id == self.a1.partner_id)
        self.assertEqual((payable.debit, payable.credit), (20.0, 0.0), "debits the payable back")
        self.assertEqual(self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]["payable"], 0.0)

    def test_balance_goes_negative_and_is_netted(self):
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self._release(order)
        first = self._settle_now()
        # 10.00 of it is withdrawn and paid out
        account = self.env["fenxiao.payout.account"].create(
            {
                "distributor_id": self.a1.id,
                "method": "bank",
                "holder_name": "甲一",
                "bank_name": "招商银行",
                "account_number": "6225 8812 3456 7890",
            }
        )
        withdrawal = self.env["fenxiao.withdrawal"]._fenxiao_request(self.a1, 10.0, account)
        withdrawal.action_approve()
        withdrawal.action_record_payment()
        # then the order is refunded: 10.00 clawed back
        self._credit_note(order, {self.p100: 1})
        self._settle_now(first.date_to + self._one_week)
        self.assertEqual(
            self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]["withdrawable"], -10.0
        )
        # the next order's commission pays the debt off first
        later = self._paid_order(self.customer, [(self.p100, 3)])
        self._release(later)
        self._settle_now(first.date_to + 2 * self._one_week)
        self.assertEqual(
            self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]["withdrawable"], 20.0
        )

    def test_partial_payment_refund(self):
        provider = self.env["payment.provider"].create(
            {"name": "Test provider", "code": "none", "state": "test"}
        )
        method = self.env["payment.method"].with_context(active_test=False).search([], limit=1)
        order = self._order(self.customer, [(self.p100, 2)])
        values = {
            "provider_id": provider.id,
            "payment_method_id": method.id,
            "currency_id": order.currency_id.id,
            "partner_id": self.customer.id,
        }
        tx = self.env["payment.transaction"].create(
            {
                **values,
                "amount": 200.0,
                "reference": "PAY-" + order.name,
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        TX = type(tx)
        with patch.object(TX, "_create_payment"):
            tx._set_done()
            tx._post_process()
            self.assertEqual(sum(order.fenxiao_commission_line_ids.mapped("amount")), 30.0)
            refund = self.env["payment.transaction"].create(
                {
                    **values,
                    "amount": -50.0,
                    "operation": "refund",
                    "source_transaction_id": tx.id,
                    "reference": "R-" + order.name,
                }
            )
            refund._set_done()
            refund._post_process()
        reversals = self._reversals(order)
        self.assertEqual(sorted(reversals.mapped("amount")), [-5.0, -2.5], "a quarter refunded")
        self.assertEqual(set(reversals.mapped("reversal_cause")), {"refund"})
