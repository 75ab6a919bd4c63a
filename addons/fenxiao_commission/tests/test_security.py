from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestCommissionSecurity(FenxiaoCommissionCase):
    def test_portal_distributor_sees_only_their_own_money(self):
        order = self._paid_order(self.customer, [(self.p100, 1)])
        mine = order.fenxiao_commission_line_ids.filtered(
            lambda line: line.distributor_id == self.a1
        )
        Line = self.env["fenxiao.commission.line"].with_user(self.portal_user)
        self.assertEqual(Line.search([]), mine, "not their upline's share")
        theirs = order.fenxiao_commission_line_ids - mine
        with self.assertRaises(AccessError):
            theirs.with_user(self.portal_user).read(["amount"])
        account = self._payout_account(self.a)
        with self.assertRaises(AccessError):
            account.with_user(self.portal_user).read(["account_number_masked"])
        with self.assertRaises(UserError):  # AccessError or the ledger's own refusal
            mine.with_user(self.portal_user).write({"amount": 1000})

    def test_ledger_is_append_only(self):
        order = self._paid_order(self.customer, [(self.p100, 1)])
        line = order.fenxiao_commission_line_ids[0]
        with self.assertRaisesRegex(Exception, "history"):
            line.write({"amount": 99})
        with self.assertRaisesRegex(Exception, "history"):
            line.unlink()

    def test_officer_reads_but_cannot_settle(self):
        wizard = self.env["fenxiao.commission.settle"].create({})
        with self.assertRaisesRegex(UserError, "Administrator"):
            wizard.with_user(self.officer).action_settle()
