import contextlib
import json
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase
from odoo.addons.payment_alipay import utils as alipay_utils
from odoo.addons.payment_alipay.models.payment_provider import AlipayRefused
from odoo.addons.payment_alipay.tests.alipay_simulator import AlipaySimulator, new_rsa_key

APP_ID = "2021004100000777"
LOGON_ID = "13800138000"
LOGGERS = (
    "odoo.addons.payment_alipay.models.payment_provider",
    "odoo.addons.payment_risk.models.payment_risk_event",
    "odoo.addons.fenxiao_payout_alipay.models.fenxiao_withdrawal",
    "odoo.addons.fenxiao_payout_alipay.models.payment_provider",
)


@tagged("post_install", "-at_install")
class TestAlipayPayout(FenxiaoCommissionCase, HttpCase):
    """Withdrawals paid to a distributor's Alipay account through the local
    Alipay simulator (单笔转账), which checks the app's RSA2 signature and pays
    an out_biz_no once, as Alipay does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        app_private, app_public = new_rsa_key()
        # Alipay serves 单笔转账 to an app in certificate mode only
        cls.simulator = AlipaySimulator(APP_ID, app_public, certificate_mode=True).start()
        cls.addClassCleanup(cls.simulator.stop)
        cls.app_private, cls.app_public = app_private, app_public
        cls.provider = cls.env.ref("payment_alipay.payment_provider_alipay")
        cls.provider.write(
            {
                "state": "test",
                "company_id": cls.company.id,
                **cls.simulator.provider_values(app_private),
                "alipay_transfer_enabled": True,
            }
        )
        # a1 earns 100.00, released and settled into the payable
        order = cls._paid_order(cls.customer, [(cls.p100, 10)])
        for picking in order.picking_ids:
            picking.move_ids.quantity = 10
            picking.button_validate()
            picking.date_done = "2000-01-01"
        cls.env["fenxiao.commission.line"]._cron_release()
        date_from, date_to = cls.company._fenxiao_settlement_period(order.fenxiao_paid_date.date())
        with cls._after(date_to):
            cls.env["fenxiao.commission.settlement"]._settle(cls.company, date_from, date_to)
        cls.account = cls.env["fenxiao.payout.account"].create(
            {
                "distributor_id": cls.a1.id,
                "method": "alipay",
                "holder_name": "李娜",
                "account_number": LOGON_ID,
            }
        )
        cls.Withdrawal = cls.env["fenxiao.withdrawal"]

    def setUp(self):
        super().setUp()
        # one simulator for the class: what a test sets up ends with it
        self.simulator.payees.clear()
        self.simulator.payees[LOGON_ID] = "李娜"
        self.simulator.transfers.clear()
        self.simulator.next_transfer = None
        self.simulator.fail_next = 0
        self.simulator.balance = 1000000.0

    def _send(self, amount=30.0, account=None, user=None):
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, amount, account or self.account)
        withdrawal.action_approve()
        # a Distribution Administrator's click (no accounting or provider rights)
        withdrawal.with_user(user or self.env.user).action_payout()
        self.env.flush_all()
        return withdrawal

    def _withdrawable(self):
        return self.Withdrawal._balances(self.a1)[self.a1]["withdrawable"]

    def _sync(self):
        self.Withdrawal._cron_alipay_sync_transfers()
        self.env.flush_all()
        self.env.invalidate_all()

    def _transfer_requests(self, biz_no):
        return [
            params
            for params in self.simulator.received
            if params.get("method") == "alipay.fund.trans.uni.transfer"
            and json.loads(params["biz_content"])["out_biz_no"] == biz_no
        ]

    def _assert_paid_once(self, withdrawal):
        self.assertEqual(withdrawal.state, "paid")
        transfer = self.simulator.transfers[withdrawal.alipay_out_biz_no]
        self.assertEqual(withdrawal.payout_reference, transfer["order_id"])
        payments = self.env["account.payment"].search([("memo", "=", withdrawal.name)])
        self.assertEqual(len(payments), 1, "booked once")
        self.assertEqual(payments, withdrawal.payment_id)

    @mute_logger(*LOGGERS)
    def test_transfer_paid_booked_and_reconciled(self):
        self.assertIn(
            "alipay", self.env["fenxiao.payout.gateway"]._fenxiao_payout_methods(self.company)
        )
        self.company.fenxiao_withdrawal_fee_percent = 1.0
        balance = self.simulator.balance
        withdrawal = self._send(30.0, user=self.manager)
        self.assertEqual((withdrawal.fee, withdrawal.net_amount), (0.30, 29.70))
        # the request as Alipay takes it, signed with the app's key (the simulator checked it)
        (request,) = self._transfer_requests(withdrawal.alipay_out_biz_no)
        self.assertEqual(
            {key: request[key] for key in ("app_id", "charset", "sign_type", "version")},
            {"app_id": APP_ID, "charset": "utf-8", "sign_type": "RSA2", "version": "1.0"},
        )
        # in certificate mode: the app's certificate and Alipay's root chain named
        certificates = self.simulator.certificates
        self.assertEqual(
            (request["app_cert_sn"], request["alipay_root_cert_sn"]),
            (certificates.app_cert_sn, certificates.root_cert_sn),
        )
        biz = json.loads(request["biz_content"])
        self.assertEqual(biz["out_biz_no"], withdrawal.name.replace("/", "").replace("-", ""))
        self.assertEqual(
            (biz["trans_amount"], biz["product_code"], biz["biz_scene"]),
            ("29.70", "TRANS_ACCOUNT_NO_PWD", "DIRECT_TRANSFER"),
        )
        self.assertEqual(
            biz["payee_info"],
            {"identity": LOGON_ID, "identity_type": "ALIPAY_LOGON_ID", "name": "李娜"},
        )
        self.assertTrue(biz["order_title"] and biz["remark"])
        self.assertEqual(self.simulator.balance, round(balance - 29.70, 2))
        self._assert_paid_once(withdrawal)
        self.assertEqual(withdrawal.alipay_transfer_status, "SUCCESS")
        # the journals: payment and fee entry balanced, the payable paid off
        moves = withdrawal.payment_id.move_id | withdrawal.fee_move_id
        self.assertEqual(len(moves), 2)
        for move in moves:
            self.assertEqual(move.state, "posted")
            self.assertAlmostEqual(
                sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit"))
            )
        payable = self.company.fenxiao_commission_payable_account_id
        paid_lines = moves.line_ids.filtered(lambda line: line.account_id == payable)
        self.assertEqual(sum(paid_lines.mapped("debit")), 30.0, "29.70 paid + 0.30 fee")
        self.assertTrue(all(line.reconciled for line in paid_lines))
        self.assertEqual(self._withdrawable(), 70.0)
        self.assertEqual(self.Withdrawal._balances(self.a1)[self.a1]["payable"], 70.0)

    @mute_logger(*LOGGERS)
    def test_answer_lost_in_a_timeout_is_found_paid_by_the_cron(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.company.partner_id.lang = "zh_CN"
        self.simulator.next_transfer = "timeout"
        with patch.object(alipay_utils, "TIMEOUT", (5, 0.5)):
            withdrawal = self._send()
        self.assertEqual(withdrawal.state, "paying", "no answer: maybe paid, held")
        self.assertEqual(
            self.simulator.transfers[withdrawal.alipay_out_biz_no]["status"], "SUCCESS"
        )
        self.assertEqual(self._withdrawable(), 70.0, "held while unknown")
        self.Withdrawal.with_context(lang="en_US")._cron_alipay_sync_transfers()
        self.env.invalidate_all()
        self._assert_paid_once(withdrawal)
        self.assertEqual(len(self._transfer_requests(withdrawal.alipay_out_biz_no)), 1)
        # the cron's news is the system's, in the company's language
        self.assertEqual(withdrawal.payout_message, "已到账")
        paid = withdrawal.message_ids.filtered(lambda m: "已打款" in (m.body or ""))
        self.assertEqual(paid.author_id, self.env.ref("base.partner_root"))
        self._sync()  # once paid, nothing more
        self.assertEqual(
            len(self.env["account.payment"].search([("memo", "=", withdrawal.name)])), 1
        )

    @mute_logger(*LOGGERS)
    def test_request_lost_before_alipay_is_sent_again_with_the_same_number(self):
        self.simulator.next_transfer = "lost_before"
        withdrawal = self._send()
        biz_no = withdrawal.alipay_out_biz_no
        self.assertEqual(withdrawal.state, "paying")
        self.assertNotIn(biz_no, self.simulator.transfers, "never reached Alipay")
        self._sync()
        self._assert_paid_once(withdrawal)
        requests = self._transfer_requests(biz_no)
        self.assertEqual(len(requests), 2, "sent again, with the same out_biz_no")
        self.assertEqual(withdrawal.alipay_send_count, 2)
        self.assertEqual(self.simulator.transfers[biz_no]["requests"], 1, "paid once")
        self.assertEqual(self._withdrawable(), 70.0)

    @mute_logger(*LOGGERS)
    def test_a_transfer_sent_before_the_server_died_blocks_the_rejection(self):
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 30.0, self.account)
        withdrawal.action_approve()
        self.env.flush_all()
        balance = self.simulator.balance
        # Alipay accepted the transfer, then the server died before the
        # commit: nothing of it is recorded here, the withdrawal is approved
        with contextlib.suppress(RuntimeError), self.env.cr.savepoint():
            withdrawal.action_payout()
            self.env.flush_all()
            raise RuntimeError("killed")
        self.env.invalidate_all()
        self.assertEqual(withdrawal.state, "approved")
        self.assertFalse(withdrawal.alipay_out_biz_no)
        biz_no = withdrawal._alipay_biz_no()
        self.assertEqual(self.simulator.transfers[biz_no]["status"], "SUCCESS")
        with self.assertRaisesRegex(UserError, biz_no):
            withdrawal.action_reject("changed my mind")
        self.assertEqual(withdrawal.state, "approved")
        # Pay again: the same out_biz_no, which Alipay pays only once
        withdrawal.action_payout()
        self.env.flush_all()
        self._assert_paid_once(withdrawal)
        self.assertEqual(withdrawal.alipay_out_biz_no, biz_no)
        self.assertEqual(
            self.simulator.balance, round(balance - withdrawal.net_amount, 2), "paid once"
        )
        # a withdrawal Alipay never heard of is rejected as before
        other = self.Withdrawal._fenxiao_request(self.a1, 20.0, self.account)
        other.action_approve()
        other.action_reject("wrong account")
        self.assertEqual(other.state, "rejected")

    def _killed_payout(self, amount=30.0):
        """Pay Out, killed after the send and before the commit: the
        withdrawal is back to approved with nothing of the transfer, and only
        the attempt, committed by a transaction of its own, is left. (The
        test's cursor stands for that transaction: it is rolled back with the
        rest here, and written again as it was; test_payout_race kills one on
        real connections.)"""
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, amount, self.account)
        withdrawal.action_approve()
        self.env.flush_all()
        Attempt = self.env["fenxiao.withdrawal.payout.attempt"]
        with contextlib.suppress(RuntimeError), self.env.cr.savepoint():
            withdrawal.action_payout()
            self.env.flush_all()
            noted = Attempt.search([("withdrawal_id", "=", withdrawal.id)]).read(
                ["method", "create_date"]
            )
            raise RuntimeError("killed")
        self.env.invalidate_all()
        self.assertEqual(withdrawal.state, "approved")
        self.assertFalse(withdrawal.alipay_out_biz_no)
        self.assertEqual([note["method"] for note in noted], ["alipay"], "one attempt noted")
        attempt = Attempt.create({"withdrawal_id": withdrawal.id, "method": "alipay"})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE fenxiao_withdrawal_payout_attempt SET create_date = %s WHERE id = %s",
            [noted[0]["create_date"], attempt.id],
        )
        return withdrawal

    def _age_attempts(self, withdrawal, minutes=15):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE fenxiao_withdrawal_payout_attempt SET create_date = create_date - %s "
            "WHERE withdrawal_id = %s",
            [timedelta(minutes=minutes), withdrawal.id],
        )
        self.env.invalidate_all()

    def _attempts(self, withdrawal):
        return self.env["fenxiao.withdrawal.payout.attempt"].search_count(
            [("withdrawal_id", "=", withdrawal.id)]
        )

    def _queries(self, biz_no):
        return [
            params
            for params in self.simulator.received
            if params.get("method") == "alipay.fund.trans.common.query"
            and json.loads(params["biz_content"])["out_biz_no"] == biz_no
        ]

    @mute_logger(*LOGGERS)
    def test_a_payout_killed_after_alipay_paid_it_is_found_by_the_cron(self):
        paid = self._killed_payout(30.0)
        self.simulator.next_transfer = "dealing"
        dealing = self._killed_payout(20.0)
        paid_no, dealing_no = paid._alipay_biz_no(), dealing._alipay_biz_no()
        balance = self.simulator.balance
        self._sync()
        self.assertEqual((paid.state, dealing.state), ("approved", "approved"), "maybe in flight")
        self.assertFalse(self._queries(paid_no), "not asked yet")
        self._age_attempts(paid)
        self._age_attempts(dealing)
        self._sync()
        # found paid: booked once, as the Pay Out would have, never sent again
        self._assert_paid_once(paid)
        self.assertEqual(paid.alipay_out_biz_no, paid_no)
        self.assertEqual(paid.alipay_transfer_status, "SUCCESS")
        self.assertEqual(paid.payment_id.amount, 30.0)
        self.assertEqual(len(self._transfer_requests(paid_no)), 1)
        # found on its way: followed as paying
        self.assertEqual(
            (dealing.state, dealing.alipay_transfer_status, dealing.alipay_out_biz_no),
            ("paying", "DEALING", dealing_no),
        )
        self.assertEqual(dealing.payout_reference, self.simulator.transfers[dealing_no]["order_id"])
        self.assertEqual((self._attempts(paid), self._attempts(dealing)), (0, 0))
        self.assertEqual(self.simulator.balance, balance, "no money moved by the cron")
        self.assertEqual(self._withdrawable(), 50.0)
        # run again: nothing more
        self._sync()
        self._assert_paid_once(paid)
        self.assertEqual(len(self._queries(paid_no)), 1, "asked once")
        self.assertEqual(len(self._transfer_requests(paid_no)), 1)
        self.simulator.finish_transfer(dealing_no)
        self._sync()
        self._assert_paid_once(dealing)
        self.assertEqual(len(self._transfer_requests(dealing_no)), 1)
        self.assertEqual(self._withdrawable(), 50.0)

    @mute_logger(*LOGGERS)
    def test_a_payout_killed_before_alipay_took_it_stays_approved(self):
        self.simulator.next_transfer = "lost_before"
        withdrawal = self._killed_payout()
        biz_no = withdrawal._alipay_biz_no()
        self.assertNotIn(biz_no, self.simulator.transfers)
        self._age_attempts(withdrawal)
        # Alipay does not answer the query: nothing decided, asked again later
        self.simulator.fail_next = 1
        self._sync()
        self.assertEqual((withdrawal.state, self._attempts(withdrawal)), ("approved", 1))
        self._sync()
        self.assertEqual(withdrawal.state, "approved", "a manager decides again")
        self.assertFalse(withdrawal.alipay_out_biz_no)
        self.assertEqual(self._attempts(withdrawal), 0, "forgotten")
        self.assertEqual(len(self._transfer_requests(biz_no)), 1, "nothing sent by the cron")
        self.assertEqual(len(self._queries(biz_no)), 2)
        self._sync()  # not asked again
        self.assertEqual(len(self._queries(biz_no)), 2)
        self.assertEqual(self._withdrawable(), 70.0, "still held while approved")
        withdrawal.action_reject("not this month")
        self.assertEqual(withdrawal.state, "rejected")
        self.assertEqual(self._withdrawable(), 100.0)

    @mute_logger(*LOGGERS)
    def test_a_killed_payout_alipay_knows_with_another_amount_decides_nothing(self):
        withdrawal = self._killed_payout()
        biz_no = withdrawal._alipay_biz_no()
        self.simulator.transfers[biz_no]["trans_amount"] = "300.00"
        self._age_attempts(withdrawal)
        for _run in range(2):
            self._sync()
            self.assertEqual(withdrawal.state, "approved", "not followed on a mismatch")
            self.assertEqual((self._attempts(withdrawal), withdrawal.alipay_send_count), (1, 1))
        events = self.env["payment.risk.event"].search([("reference", "=", withdrawal.name)])
        self.assertEqual(events.mapped("kind"), ["amount_mismatch"], "flagged once")
        self.simulator.transfers[biz_no]["trans_amount"] = "30.00"
        self._sync()
        self._assert_paid_once(withdrawal)
        self.assertEqual(self._attempts(withdrawal), 0)

    @mute_logger(*LOGGERS)
    def test_refused_payee_fails_and_gives_the_balance_back(self):
        unknown = self.env["fenxiao.payout.account"].create(
            {
                "distributor_id": self.a1.id,
                "method": "alipay",
                "holder_name": "李娜",
                "account_number": "nobody@example.com",
            }
        )
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 30.0, unknown)
        withdrawal.action_approve()
        withdrawal.with_context(lang="zh_CN").action_payout()
        self.assertEqual(withdrawal.state, "failed")
        self.assertEqual(
            withdrawal.payout_message, "支付宝：收款支付宝账号不存在。（PAYEE_NOT_EXIST）"
        )
        self.simulator.payees[LOGON_ID] = "王伟"  # the holder's name is not the account's
        misnamed = self._send()
        self.assertEqual(misnamed.state, "failed")
        self.assertIn("PAYEE_USER_INFO_ERROR", misnamed.payout_message)
        self.assertEqual(self._withdrawable(), 100.0)
        self.assertFalse(
            self.env["account.payment"].search([("memo", "in", (withdrawal.name, misnamed.name))])
        )

    @mute_logger(*LOGGERS)
    def test_merchant_balance_too_low_fails_the_withdrawal(self):
        self.simulator.balance = 10.0
        withdrawal = self._send()
        self.assertEqual(withdrawal.state, "failed")
        self.assertIn("PAYER_BALANCE_NOT_ENOUGH", withdrawal.payout_message)
        self.assertNotIn(withdrawal.alipay_out_biz_no, self.simulator.transfers)
        self.assertEqual(self._withdrawable(), 100.0)

    @mute_logger(*LOGGERS)
    def test_a_query_about_another_amount_decides_nothing(self):
        self.simulator.next_transfer = "dealing"
        withdrawal = self._send()
        transfer = self.simulator.transfers[withdrawal.alipay_out_biz_no]
        transfer.update(status="SUCCESS", trans_amount="300.00")
        self._sync()
        self.assertEqual(withdrawal.state, "paying", "not booked on a mismatched answer")
        events = self.env["payment.risk.event"].search(
            [("provider_code", "=", "alipay"), ("reference", "=", withdrawal.name)]
        )
        self.assertEqual(events.mapped("kind"), ["amount_mismatch"])
        self._sync()  # asked again: flagged once while the flag waits for review
        self.assertEqual(withdrawal.state, "paying")
        self.assertEqual(
            self.env["payment.risk.event"].search_count([("reference", "=", withdrawal.name)]), 1
        )
        transfer["trans_amount"] = "30.00"
        self._sync()
        self._assert_paid_once(withdrawal)

    @mute_logger(*LOGGERS)
    def test_dealing_transfer_followed_until_it_fails(self):
        self.simulator.next_transfer = "dealing"
        withdrawal = self._send()
        self.assertEqual(
            (withdrawal.state, withdrawal.alipay_transfer_status), ("paying", "DEALING")
        )
        self._sync()
        self.assertEqual(withdrawal.state, "paying", "still dealing")
        self.simulator.finish_transfer(withdrawal.alipay_out_biz_no, "FAIL", "收款方账户异常")
        self._sync()
        self.assertEqual((withdrawal.state, withdrawal.alipay_transfer_status), ("failed", "FAIL"))
        self.assertIn("收款方账户异常", withdrawal.payout_message)
        self.assertEqual(self._withdrawable(), 100.0)

    @mute_logger(*LOGGERS)
    def test_forged_or_unsigned_answers_are_not_trusted(self):
        for mode in ("forged", "unsigned"):
            self.simulator.next_transfer = mode
            withdrawal = self._send()
            self.assertEqual(withdrawal.state, "paying", f"{mode}: decides nothing")
            self.assertFalse(withdrawal.alipay_transfer_status)
            self.assertFalse(withdrawal.payment_id)
        self._sync()  # Alipay's signed query says what happened
        for withdrawal in self.Withdrawal.search([("distributor_id", "=", self.a1.id)]):
            self._assert_paid_once(withdrawal)
        self.assertEqual(self._withdrawable(), 40.0)

    @mute_logger(*LOGGERS)
    def test_the_same_withdrawal_sent_twice_pays_once(self):
        withdrawal = self._send()
        with self.assertRaisesRegex(UserError, "already been handled"):
            withdrawal.action_payout()
        # even a request sent again by hand: Alipay's answer is the first one
        result = self.provider._fenxiao_alipay_transfer(withdrawal)
        self.assertEqual(result["reference"], withdrawal.payout_reference)
        transfer = self.simulator.transfers[withdrawal.alipay_out_biz_no]
        self.assertEqual(transfer["requests"], 2)
        self.assertEqual(len(self.simulator.transfers), 1, "one transfer at Alipay")
        self.assertEqual(self.simulator.balance, 1000000.0 - 30.0)
        self._assert_paid_once(withdrawal)

    def test_no_transfers_without_the_setting(self):
        self.provider.alipay_transfer_enabled = False
        methods = self.env["fenxiao.payout.gateway"]._fenxiao_payout_methods(self.company)
        self.assertNotIn("alipay", methods)

    def test_a_provider_in_public_key_mode_is_refused(self):
        """Alipay serves 单笔转账 to an app in certificate mode only: a
        provider in public key mode cannot have transfers switched on, and a
        click that reaches one sends nothing, with the reason."""
        key_mode = {
            "alipay_key_mode": "public_key",
            "alipay_public_key": self.simulator.alipay_public_key,
        }
        reason = "certificate mode"
        with self.assertRaisesRegex(ValidationError, reason), self.env.cr.savepoint():
            self.provider.write(key_mode)
        self.provider.write(dict(key_mode, alipay_transfer_enabled=False))
        with self.assertRaisesRegex(ValidationError, reason), self.env.cr.savepoint():
            self.provider.alipay_transfer_enabled = True
        # set below the ORM (an old database, a script): the click is refused
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE payment_provider SET alipay_transfer_enabled = true WHERE id = %s",
            [self.provider.id],
        )
        self.env.invalidate_all()
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 30.0, self.account)
        withdrawal.action_approve()
        with self.assertRaisesRegex(UserError, reason), self.env.cr.savepoint():
            withdrawal.action_payout()
        self.assertEqual(withdrawal.state, "approved")
        self.assertFalse(withdrawal.alipay_out_biz_no)
        self.assertFalse(self._transfer_requests(withdrawal._alipay_biz_no()), "nothing sent")
        # Alipay itself, asked by an app in public key mode, refuses with its reason
        key_simulator = AlipaySimulator(APP_ID, self.app_public).start()
        self.addCleanup(key_simulator.stop)
        self.provider.write(
            dict(key_simulator.provider_values(self.app_private), alipay_transfer_enabled=False)
        )
        with self.assertRaises(AlipayRefused) as refused:
            self.provider._alipay_call(
                "server_api",
                api_name="alipay.fund.trans.uni.transfer",
                biz_content={"out_biz_no": "X1", "trans_amount": "1.00"},
            )
        self.assertEqual(refused.exception.sub_code, "isv.insufficient-isv-permissions")
        self.assertIn("certificate mode", self.provider._alipay_refusal_reason(refused.exception))
        self.assertFalse(key_simulator.transfers)
