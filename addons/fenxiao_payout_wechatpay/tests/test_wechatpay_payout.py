import contextlib
import json
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase
from odoo.addons.payment_wechatpay.tests.wechatpay_simulator import (
    WeChatPaySimulator,
    new_apiv3_key,
    new_merchant_certificate_serial,
    new_rsa_key,
)

MCH_ID = "1900000109"
APP_ID = "wx8888888888888888"
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjDistA1"
LOGGERS = (
    "odoo.addons.payment_wechatpay.models.payment_provider",
    "odoo.addons.payment_wechatpay.controllers.main",
    "odoo.addons.payment_risk.models.payment_risk_event",
    "odoo.addons.fenxiao_payout_wechatpay.models.fenxiao_withdrawal",
)


@tagged("post_install", "-at_install")
class TestWeChatPayout(FenxiaoCommissionCase, HttpCase):
    """Withdrawals paid to a distributor's WeChat wallet through the local
    WeChat Pay simulator (商家转账, the 2025 version the payee confirms)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        merchant_private, merchant_public = new_rsa_key()
        serial, apiv3_key = new_merchant_certificate_serial(), new_apiv3_key()
        cls.simulator = WeChatPaySimulator(
            MCH_ID, APP_ID, merchant_public, serial, apiv3_key
        ).start()
        cls.addClassCleanup(cls.simulator.stop)
        cls.provider = cls.env.ref("payment_wechatpay.payment_provider_wechatpay")
        cls.provider.write(
            {
                "state": "test",
                "company_id": cls.company.id,
                "wechatpay_mch_id": MCH_ID,
                "wechatpay_app_id": APP_ID,
                "wechatpay_serial_no": serial,
                "wechatpay_private_key": merchant_private,
                "wechatpay_apiv3_key": apiv3_key,
                "wechatpay_public_key": cls.simulator.platform_public_key,
                "wechatpay_public_key_id": cls.simulator.public_key_id,
                "wechatpay_gateway_url": cls.simulator.base_url,
                "wechatpay_transfer_enabled": True,
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
        cls.wallet = cls.env["fenxiao.payout.account"].create(
            {
                "distributor_id": cls.a1.id,
                "method": "wechat",
                "holder_name": "李娜",
                "account_number": OPENID,
            }
        )
        cls.Withdrawal = cls.env["fenxiao.withdrawal"]

    def setUp(self):
        super().setUp()
        # one simulator for the class: what a test sets up ends with it
        self.simulator.reject_transfers_to.clear()
        self.simulator.fail_next = 0

    def _send(self, amount=30.0):
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, amount, self.wallet)
        withdrawal.action_approve()
        withdrawal.action_payout()
        self.env.flush_all()
        return withdrawal

    def _withdrawable(self):
        return self.env["fenxiao.withdrawal"]._balances(self.a1)[self.a1]["withdrawable"]

    @mute_logger(*LOGGERS)
    def test_transfer_confirmed_by_the_distributor_then_paid(self):
        self.assertIn(
            "wechat", self.env["fenxiao.payout.gateway"]._fenxiao_payout_methods(self.company)
        )
        withdrawal = self._send()
        bill = self.simulator.transfers[withdrawal.wechatpay_out_bill_no]
        self.assertEqual((bill["transfer_amount"], bill["openid"]), (3000, OPENID))
        self.assertEqual(bill["user_name"], "李娜", "the real name, encrypted for WeChat Pay")
        self.assertEqual(withdrawal.state, "paying")
        self.assertEqual(withdrawal.payout_reference, bill["transfer_bill_no"])
        self.assertEqual(self._withdrawable(), 70.0, "held while on its way")
        confirm = json.loads(withdrawal._wechatpay_confirm_parameters())
        self.assertEqual(
            confirm, {"mchId": MCH_ID, "appId": APP_ID, "package": bill["package_info"]}
        )
        # the distributor accepts it in WeChat; WeChat Pay notifies the shop
        self.assertEqual(self.simulator.finish_transfer(withdrawal.wechatpay_out_bill_no), 204)
        withdrawal.invalidate_recordset()
        self.assertEqual(withdrawal.state, "paid")
        self.assertTrue(withdrawal.payment_id, "the payout is booked")
        self.assertFalse(withdrawal._wechatpay_confirm_parameters())
        # a repeated notification: 2xx, nothing booked twice
        self.assertEqual(self.simulator.finish_transfer(withdrawal.wechatpay_out_bill_no), 204)
        payments = self.env["account.payment"].search([("memo", "=", withdrawal.name)])
        self.assertEqual(len(payments), 1)

    @mute_logger(*LOGGERS)
    def test_failed_cancelled_and_refused_transfers_give_the_balance_back(self):
        failed = self._send()
        self.simulator.finish_transfer(failed.wechatpay_out_bill_no, "FAIL", "ACCOUNT_FROZEN")
        failed.invalidate_recordset()
        self.assertEqual(failed.state, "failed")
        self.assertIn("ACCOUNT_FROZEN", failed.payout_message)
        cancelled = self._send()  # not accepted within 24 hours
        self.simulator.finish_transfer(cancelled.wechatpay_out_bill_no, "CANCELLED")
        cancelled.invalidate_recordset()
        self.assertEqual(cancelled.state, "failed")
        self.simulator.reject_transfers_to.add(OPENID)
        refused = self._send()
        self.assertEqual(refused.state, "failed")
        self.assertIn("INVALID_REQUEST", refused.payout_message)
        self.assertEqual(self._withdrawable(), 100.0)

    def _age(self, withdrawal, minutes=40):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE fenxiao_withdrawal SET wechatpay_sent_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(minutes=minutes), withdrawal.id],
        )
        withdrawal.invalidate_recordset()

    @mute_logger(*LOGGERS)
    def test_no_answer_is_followed_up_never_paid_twice(self):
        # the gateway fails before taking the transfer: nothing was sent
        self.simulator.fail_next = 1
        lost = self._send()
        self.assertEqual(lost.state, "paying", "no answer: maybe sent, held")
        self.assertNotIn(lost.wechatpay_out_bill_no, self.simulator.transfers)
        self.Withdrawal._cron_wechatpay_sync_transfers()
        self.assertEqual(lost.state, "paying", "too early to say it never arrived")
        self._age(lost)
        self.Withdrawal._cron_wechatpay_sync_transfers()
        self.assertEqual(lost.state, "failed", "WeChat Pay never had it: the amount is back")
        # the transfer was taken, but its answer was lost on the way back
        original = self.simulator.handle_api

        def answer_lost(method, raw_path, text, headers):
            original(method, raw_path, text, headers)
            return 500, {"code": "SYSTEM_ERROR", "message": "系统错误"}

        with patch.object(self.simulator, "handle_api", answer_lost):
            taken = self._send()
        self.assertEqual(taken.state, "paying")
        self.simulator.finish_transfer(taken.wechatpay_out_bill_no, notify=False)
        self._age(taken)
        self.Withdrawal._cron_wechatpay_sync_transfers()
        self.assertEqual(taken.state, "paid", "the query found it paid")
        sent = [
            request
            for request in self.simulator.received
            if request[0] == "POST" and taken.wechatpay_out_bill_no in request[2]
        ]
        self.assertEqual(len(sent), 1, "sent once, never again")
        self.assertEqual(len(self.env["account.payment"].search([("memo", "=", taken.name)])), 1)

    @mute_logger(*LOGGERS)
    def test_a_transfer_sent_before_the_server_died_blocks_the_rejection(self):
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, 30.0, self.wallet)
        withdrawal.action_approve()
        self.env.flush_all()
        # WeChat Pay accepted the transfer, then the server died before the
        # commit: nothing of it is recorded here, the withdrawal is approved
        with contextlib.suppress(RuntimeError), self.env.cr.savepoint():
            withdrawal.action_payout()
            self.env.flush_all()
            raise RuntimeError("killed")
        self.env.invalidate_all()
        self.assertEqual(withdrawal.state, "approved")
        self.assertFalse(withdrawal.wechatpay_out_bill_no)
        bill_no = withdrawal._wechatpay_bill_no()
        self.assertIn(bill_no, self.simulator.transfers)
        with self.assertRaisesRegex(UserError, bill_no):
            withdrawal.action_reject("changed my mind")
        self.assertEqual(withdrawal.state, "approved")
        # Pay again: the same bill, followed up, never a second one
        withdrawal.action_payout()
        self.assertEqual(withdrawal.state, "paying")
        self.assertEqual(withdrawal.wechatpay_out_bill_no, bill_no)
        self.assertEqual(
            [r for r in self.simulator.transfers if r == bill_no], [bill_no], "one bill"
        )
        # a withdrawal WeChat Pay never heard of is rejected as before
        other = self.Withdrawal._fenxiao_request(self.a1, 20.0, self.wallet)
        other.action_approve()
        other.action_reject("wrong wallet")
        self.assertEqual(other.state, "rejected")

    @mute_logger(*LOGGERS)
    def test_tampered_or_unknown_transfer_notifications(self):
        withdrawal = self._send()
        bill_no = withdrawal.wechatpay_out_bill_no
        bill = dict(self.simulator.transfers[bill_no])
        resource = {
            "out_bill_no": bill_no,
            "transfer_bill_no": bill["transfer_bill_no"],
            "state": "SUCCESS",
            "mch_id": MCH_ID,
            "transfer_amount": 300000,
            "openid": OPENID,
        }
        url = bill["notify_url"]
        post = self.simulator.post_notification
        self.assertEqual(post(url, "MCHTRANSFER.BILL.FINISHED", "mch_payment", resource, "x"), 400)
        unknown = dict(resource, out_bill_no="TX2099010000001", transfer_amount=3000)
        self.assertEqual(post(url, "MCHTRANSFER.BILL.FINISHED", "mch_payment", unknown, "x"), 404)
        withdrawal.invalidate_recordset()
        self.assertEqual(withdrawal.state, "paying")
        kinds = self.env["payment.risk.event"].search([("provider_code", "=", "wechatpay")])
        self.assertEqual(sorted(kinds.mapped("kind")), ["amount_mismatch", "unknown_transaction"])

    def test_no_transfers_without_the_setting(self):
        self.provider.wechatpay_transfer_enabled = False
        methods = self.env["fenxiao.payout.gateway"]._fenxiao_payout_methods(self.company)
        self.assertNotIn("wechat", methods)

    @mute_logger(*LOGGERS)
    def test_the_distributor_accepts_the_transfer_from_the_centre(self):
        withdrawal = self._send()
        self.env.flush_all()
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        page = self.url_open("/my/fenxiao/withdraw").text
        self.assertIn("o_fenxiao_wechat_transfer_confirm", page)
        self.assertIn(withdrawal.wechatpay_package_info, page)
        self.simulator.finish_transfer(withdrawal.wechatpay_out_bill_no)
        page = self.url_open("/my/fenxiao/withdraw").text
        self.assertNotIn("o_fenxiao_wechat_transfer_confirm", page, "paid: nothing to accept")

    @mute_logger(*LOGGERS)
    def test_the_back_office_reads_the_transfer_from_odoobot_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.company.partner_id.lang = "zh_CN"
        odoobot = self.env.ref("base.partner_root")
        withdrawal = self._send()
        bill_no = withdrawal.wechatpay_out_bill_no
        # the distributor accepted it; WeChat Pay is moving the money (a cron finds out)
        self.simulator.transfers[bill_no]["state"] = "TRANSFERING"
        self.Withdrawal.with_context(lang="en_US")._cron_wechatpay_sync_transfers()
        withdrawal.invalidate_recordset()
        self.assertEqual(withdrawal.wechatpay_transfer_state, "TRANSFERING")
        self.assertEqual(withdrawal.payout_message, "转账中")
        # the notification comes in as the public user
        self.simulator.finish_transfer(bill_no)
        withdrawal.invalidate_recordset()
        self.assertEqual(withdrawal.state, "paid")
        self.assertEqual(withdrawal.payout_message, "已到账", "no longer waiting")
        paid = withdrawal.message_ids.filtered(lambda m: "已打款" in (m.body or ""))
        self.assertEqual(paid.author_id, odoobot, "posted by OdooBot, not by Public user")
        failed = self._send()
        self.simulator.finish_transfer(failed.wechatpay_out_bill_no, "FAIL", "ACCOUNT_FROZEN")
        failed.invalidate_recordset()
        self.assertEqual(failed.payout_message, "微信支付：转账失败 ACCOUNT_FROZEN")
        note = failed.message_ids.filtered(lambda m: "转账失败" in (m.body or ""))
        self.assertEqual(note.author_id, odoobot)
        self.assertIn("ACCOUNT_FROZEN", note.body)

    # ------------------------------------------------------------------
    # A Pay Out that died before its commit, found by the cron
    # ------------------------------------------------------------------
    def _killed_payout(self, amount=30.0):
        """Pay Out, killed after the send and before the commit: the
        withdrawal is back to approved with nothing of the transfer, and only
        the attempt, committed by a transaction of its own, is left. (The
        test's cursor stands for that transaction: it is rolled back with the
        rest here, and written again as it was.)"""
        withdrawal = self.Withdrawal._fenxiao_request(self.a1, amount, self.wallet)
        withdrawal.action_approve()
        self.env.flush_all()
        Attempt = self.env["fenxiao.withdrawal.payout.attempt"]
        with contextlib.suppress(RuntimeError), self.env.cr.savepoint():
            withdrawal.action_payout()
            self.env.flush_all()
            attempts = Attempt.search([("withdrawal_id", "=", withdrawal.id)])
            noted = [(attempt.method, attempt.create_date) for attempt in attempts]
            raise RuntimeError("killed")
        self.env.invalidate_all()
        self.assertEqual(withdrawal.state, "approved")
        self.assertFalse(withdrawal.wechatpay_out_bill_no)
        self.assertEqual([method for method, _date in noted], ["wechat"], "one attempt noted")
        (attempt,) = Attempt.create({"withdrawal_id": withdrawal.id, "method": "wechat"})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE fenxiao_withdrawal_payout_attempt SET create_date = %s WHERE id = %s",
            [noted[0][1], attempt.id],
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

    def _requests(self, bill_no, method):
        return [
            request
            for request in self.simulator.received
            if request[0] == method and bill_no in (request[2] if method == "POST" else request[1])
        ]

    def _sync(self):
        self.Withdrawal._cron_wechatpay_sync_transfers()
        self.env.flush_all()
        self.env.invalidate_all()

    @mute_logger(*LOGGERS)
    def test_a_payout_killed_after_wechat_pay_took_it_is_found_by_the_cron(self):
        waiting = self._killed_payout(30.0)
        received = self._killed_payout(20.0)
        waiting_bill, received_bill = waiting._wechatpay_bill_no(), received._wechatpay_bill_no()
        self.assertEqual(self.simulator.transfers[waiting_bill]["state"], "WAIT_USER_CONFIRM")
        # the distributor accepted the second one before anyone here knew of it
        self.simulator.finish_transfer(received_bill, notify=False)
        self._sync()
        self.assertEqual(
            (waiting.state, received.state), ("approved", "approved"), "too early: maybe in flight"
        )
        self.assertFalse(self._requests(waiting_bill, "GET"), "not asked yet")
        self._age_attempts(waiting)
        self._age_attempts(received)
        self._sync()
        # found paid: booked once, as the Pay Out would have
        bill = self.simulator.transfers[received_bill]
        self.assertEqual(received.state, "paid")
        self.assertEqual(
            (received.wechatpay_out_bill_no, received.payout_reference),
            (received_bill, bill["transfer_bill_no"]),
        )
        self.assertEqual(received.payment_id.amount, 20.0)
        self.assertEqual(len(self.env["account.payment"].search([("memo", "=", received.name)])), 1)
        # found waiting for the distributor: followed as paying, with what their WeChat needs
        bill = self.simulator.transfers[waiting_bill]
        self.assertEqual(waiting.state, "paying")
        self.assertEqual(
            (waiting.wechatpay_out_bill_no, waiting.payout_reference),
            (waiting_bill, bill["transfer_bill_no"]),
        )
        self.assertEqual(waiting.wechatpay_transfer_state, "WAIT_USER_CONFIRM")
        self.assertEqual(waiting.wechatpay_package_info, bill["package_info"])
        self.assertTrue(waiting._wechatpay_confirm_parameters())
        self.assertEqual((self._attempts(waiting), self._attempts(received)), (0, 0))
        self.assertEqual(len(self.simulator.transfers), 2, "no new transfer")
        self.assertEqual(len(self._requests(received_bill, "POST")), 1, "never sent again")
        self.assertEqual(self._withdrawable(), 50.0)
        # run again: nothing more
        self._sync()
        self.assertEqual((waiting.state, received.state), ("paying", "paid"))
        self.assertEqual(len(self.env["account.payment"].search([("memo", "=", received.name)])), 1)
        self.assertEqual(len(self._requests(received_bill, "GET")), 1, "asked once")
        # the distributor accepts: paid out once
        self.assertEqual(self.simulator.finish_transfer(waiting_bill), 204)
        self._sync()
        self.assertEqual(waiting.state, "paid")
        self.assertEqual(len(self.env["account.payment"].search([("memo", "=", waiting.name)])), 1)
        self.assertEqual(self._withdrawable(), 50.0)

    @mute_logger(*LOGGERS)
    def test_a_payout_killed_before_wechat_pay_took_it_stays_approved(self):
        # WeChat Pay never took the transfer (no answer), then the server died
        self.simulator.fail_next = 1
        withdrawal = self._killed_payout()
        bill_no = withdrawal._wechatpay_bill_no()
        self.assertNotIn(bill_no, self.simulator.transfers)
        self._age_attempts(withdrawal)
        self._sync()
        self.assertEqual(withdrawal.state, "approved", "a manager decides again")
        self.assertFalse(withdrawal.wechatpay_out_bill_no)
        self.assertEqual(self._attempts(withdrawal), 0, "forgotten")
        self.assertEqual(len(self._requests(bill_no, "GET")), 1)
        self.assertEqual(len(self._requests(bill_no, "POST")), 1, "nothing sent by the cron")
        self._sync()  # not asked again
        self.assertEqual(len(self._requests(bill_no, "GET")), 1)
        self.assertEqual(withdrawal.state, "approved")
        # the manager may reject it, or pay it
        withdrawal.action_payout()
        self.assertEqual(withdrawal.state, "paying")
        self.assertIn(bill_no, self.simulator.transfers)
        self._sync()
        self.assertEqual(self._attempts(withdrawal), 0, "a committed Pay Out's note is dropped")
