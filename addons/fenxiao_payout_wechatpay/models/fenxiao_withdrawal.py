import json
import logging
import re
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models

_logger = logging.getLogger(__name__)

# how long a transfer WeChat Pay has no trace of may still be on its way
UNKNOWN_TRANSFER_MINUTES = 30
# the states of a 商家转账 bill, as WeChat Pay names them
TRANSFER_STATES = [
    ("ACCEPTED", "Accepted"),
    ("PROCESSING", "Processing"),
    ("WAIT_USER_CONFIRM", "Waiting for the distributor to accept it in WeChat"),
    ("TRANSFERING", "Transferring"),
    ("SUCCESS", "Received"),
    ("FAIL", "Failed"),
    ("CANCELING", "Cancelling"),
    ("CANCELLED", "Not accepted in time"),
]
# What a transfer state means for the withdrawal, in the payout interface's
# words: paid out, failed (the amount goes back to the balance), or any other
# state: still on its way. Decided here only.
TRANSFER_OUTCOMES = {"SUCCESS": "done", "FAIL": "failed", "CANCELLED": "failed"}


def transfer_outcome(state):
    return TRANSFER_OUTCOMES.get(state, "pending")


class FenxiaoWithdrawal(models.Model):
    _inherit = "fenxiao.withdrawal"

    wechatpay_out_bill_no = fields.Char(
        string="WeChat Pay Bill No.",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The transfer's number at WeChat Pay (out_bill_no): a transfer sent again with "
        "it is not paid twice.",
    )
    wechatpay_sent_date = fields.Datetime(string="Sent to WeChat Pay", readonly=True, copy=False)
    wechatpay_transfer_state = fields.Selection(
        TRANSFER_STATES, string="WeChat Pay Transfer State", readonly=True
    )
    wechatpay_package_info = fields.Char(
        string="WeChat Transfer Package",
        readonly=True,
        copy=False,
        help="What the distributor's WeChat needs to confirm receiving the transfer.",
    )

    def _wechatpay_bill_no(self):
        """The withdrawal's reference, as WeChat Pay takes it: letters and digits."""
        self.ensure_one()
        return re.sub(r"[^0-9A-Za-z]", "", self.name)[:32]

    @api.model
    def _wechatpay_known_state(self, state):
        """``state`` if it is one this module knows, else False (logged):
        WeChat Pay may add states, and an unknown one decides nothing."""
        if state in dict(TRANSFER_STATES):
            return state
        _logger.warning("WeChat Pay: unknown transfer state %r", state)
        return False

    def _wechatpay_state_label(self):
        self.ensure_one()
        labels = dict(self._fields["wechatpay_transfer_state"]._description_selection(self.env))
        return labels.get(self.wechatpay_transfer_state, "")

    def _wechatpay_apply_transfer(self, bill):
        """Apply a transfer's state (an answer, a query or a notification).
        Final states are applied once; a repeated one changes nothing.

        A notification runs as the public user and a cron as whoever: what
        this writes and posts is the system's (OdooBot), in the company's
        language, as the back office reads it."""
        self.ensure_one()
        state = self._wechatpay_known_state(bill.get("state"))
        withdrawal = self.with_user(SUPERUSER_ID)
        withdrawal = withdrawal.with_context(
            lang=withdrawal.company_id.partner_id.lang or self.env.lang
        )
        changed = withdrawal.wechatpay_transfer_state != state
        withdrawal.wechatpay_transfer_state = state
        if withdrawal.state != "paying":
            return
        outcome = transfer_outcome(state)
        if outcome == "done":
            withdrawal._fenxiao_payout_done(reference=bill.get("transfer_bill_no"))
            withdrawal.payout_message = withdrawal._wechatpay_state_label()
        elif outcome == "failed":
            withdrawal._fenxiao_payout_failed(
                withdrawal.env._(
                    "WeChat Pay: %(state)s %(reason)s",
                    state=withdrawal._wechatpay_state_label() or bill.get("state"),
                    reason=bill.get("fail_reason") or "",
                ).strip()
            )
        elif state and changed:
            # still on its way: 打款信息 says where it is now
            withdrawal.payout_message = withdrawal._wechatpay_state_label()

    def action_reject(self, reason):
        """Refuse to reject an approved withdrawal WeChat Pay already holds a
        transfer for. A Pay whose server died after WeChat Pay accepted the
        transfer but before Odoo committed leaves the withdrawal approved,
        with nothing of the transfer recorded here; rejecting it would give
        the amount back to the balance while the money is on its way. Its
        bill number is the withdrawal's own, so WeChat Pay is asked by it."""
        Provider = self.env["payment.provider"]
        for withdrawal in self.filtered(lambda w: w.state == "approved" and w.method == "wechat"):
            provider = Provider._fenxiao_wechatpay_transfer_provider(withdrawal.company_id)
            if provider:
                provider._fenxiao_wechatpay_check_not_sent(withdrawal)
        return super().action_reject(reason)

    @api.model
    def _cron_wechatpay_sync_transfers(self):
        """Ask WeChat Pay about transfers still on their way: a notification
        may be lost, and a transfer whose request got no answer may or may
        not exist. Then about approved withdrawals whose Pay Out called
        WeChat Pay a while ago but never committed (the server died): a
        transfer WeChat Pay holds is followed up as paying, one it never
        heard of leaves the withdrawal approved and is not asked again."""
        waiting = self.sudo().search(
            [
                ("state", "=", "paying"),
                ("method", "=", "wechat"),
                ("wechatpay_out_bill_no", "!=", False),
            ]
        )
        provider_for = self.env["payment.provider"]._fenxiao_wechatpay_transfer_provider
        waiting._fenxiao_ask_gateway(
            provider_for,
            lambda provider, withdrawal: provider._fenxiao_wechatpay_sync_transfer(withdrawal),
            "WeChat Pay: transfer",
        )
        # Pay Outs that died before their commit, maybe after WeChat Pay took
        # the transfer: asked by the withdrawal's own bill number
        self.sudo()._fenxiao_payout_attempts_due("wechat")._fenxiao_ask_gateway(
            provider_for,
            lambda provider, withdrawal: provider._fenxiao_wechatpay_recover_transfer(withdrawal),
            "WeChat Pay: attempted payout",
        )

    def _wechatpay_unknown_for_long(self):
        self.ensure_one()
        limit = fields.Datetime.now() - timedelta(minutes=UNKNOWN_TRANSFER_MINUTES)
        return bool(self.wechatpay_sent_date) and self.wechatpay_sent_date < limit

    def _wechatpay_confirm_parameters(self):
        """What WeChat's requestMerchantTransfer needs for a transfer waiting
        for the distributor (JSON), or False."""
        self.ensure_one()
        if self.state != "paying" or self.wechatpay_transfer_state != "WAIT_USER_CONFIRM":
            return False
        provider = self.env["payment.provider"]._fenxiao_wechatpay_transfer_provider(
            self.company_id
        )
        if not provider or not self.wechatpay_package_info:
            return False
        return json.dumps(
            {
                "mchId": provider.wechatpay_mch_id,
                "appId": provider.wechatpay_app_id,
                "package": self.wechatpay_package_info,
            }
        )
