import logging
import re

from odoo import api, fields, models

from odoo.addons.fenxiao.tools.back_office import as_back_office

_logger = logging.getLogger(__name__)

# the status of a 单笔转账 order, as Alipay names it
TRANSFER_STATUSES = [
    ("DEALING", "Processing"),
    ("SUCCESS", "Received"),
    ("FAIL", "Failed"),
    ("CLOSED", "Closed"),
    ("REFUND", "Returned"),
]
# What a transfer status means for the withdrawal, in the payout interface's
# words: paid out, failed (the amount goes back to the balance), or still on
# its way (DEALING, or a status this module does not know). Decided here only.
TRANSFER_OUTCOMES = {"SUCCESS": "done", "FAIL": "failed", "CLOSED": "failed", "REFUND": "failed"}


def transfer_outcome(status):
    return TRANSFER_OUTCOMES.get(status, "pending")


class FenxiaoWithdrawal(models.Model):
    _inherit = "fenxiao.withdrawal"

    alipay_out_biz_no = fields.Char(
        string="Alipay Transfer No.",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The transfer's number at Alipay (out_biz_no), the same on every retry: Alipay "
        "pays a number once.",
    )
    alipay_sent_date = fields.Datetime(string="Sent to Alipay", readonly=True, copy=False)
    alipay_send_count = fields.Integer(
        string="Alipay Requests",
        readonly=True,
        copy=False,
        help="How many times the transfer was sent to Alipay: more than once only when an "
        "answer was lost, always with the same number.",
    )
    alipay_transfer_status = fields.Selection(TRANSFER_STATUSES, readonly=True, copy=False)

    def _alipay_biz_no(self):
        """The withdrawal's reference, as Alipay takes it: letters and digits."""
        self.ensure_one()
        return re.sub(r"[^0-9A-Za-z]", "", self.name)[:64]

    @api.model
    def _alipay_known_status(self, status):
        """``status`` if this module knows it, else False (logged): Alipay may
        add statuses, and an unknown one decides nothing."""
        if status in dict(TRANSFER_STATUSES):
            return status
        _logger.warning("Alipay: unknown transfer status %r", status)
        return False

    def _alipay_status_label(self):
        self.ensure_one()
        labels = dict(self._fields["alipay_transfer_status"]._description_selection(self.env))
        return labels.get(self.alipay_transfer_status, "")

    def _alipay_apply_result(self, result):
        """Apply what Alipay said of a transfer found by the cron (a query or
        a request sent again), in the payout interface's words: ``state``
        done, failed or pending, ``reference`` (Alipay's order_id) and
        ``message``. A withdrawal no longer paying changes no more.

        Written and posted by the system (OdooBot) in the company's language,
        as the back office reads it."""
        self.ensure_one()
        withdrawal = as_back_office(self, self.company_id)
        if withdrawal.state != "paying":
            return
        if result.get("state") == "done":
            withdrawal._fenxiao_payout_done(reference=result.get("reference"))
            withdrawal.payout_message = withdrawal._alipay_status_label()
        elif result.get("state") == "failed":
            withdrawal._fenxiao_payout_failed(result.get("message"))
        elif result.get("message"):
            withdrawal.payout_message = result["message"]

    def action_reject(self, reason):
        """Refuse to reject an approved withdrawal Alipay already holds a
        transfer for: a Pay whose server died after Alipay accepted the
        transfer but before Odoo committed leaves it approved with nothing of
        the transfer recorded, and rejecting it would give the amount back to
        the balance while the money is on its way."""
        Provider = self.env["payment.provider"]
        for withdrawal in self.filtered(lambda w: w.state == "approved" and w.method == "alipay"):
            provider = Provider._fenxiao_alipay_transfer_provider(withdrawal.company_id)
            if provider:
                provider._fenxiao_alipay_check_not_sent(withdrawal)
        return super().action_reject(reason)

    @api.model
    def _cron_alipay_sync_transfers(self):
        """Ask Alipay about transfers still on their way: an answer may have
        been lost (a timeout, a forged or unsigned answer), and a request that
        got no answer may or may not have reached Alipay. Then about approved
        withdrawals whose Pay Out called Alipay a while ago but never
        committed (the server died): a transfer Alipay holds is followed up
        as paying, one it never received leaves the withdrawal approved and
        is not asked again."""
        waiting = self.sudo().search(
            [
                ("state", "=", "paying"),
                ("method", "=", "alipay"),
                ("alipay_out_biz_no", "!=", False),
            ]
        )
        provider_for = self.env["payment.provider"]._fenxiao_alipay_transfer_provider
        waiting._fenxiao_ask_gateway(
            provider_for,
            lambda provider, withdrawal: provider._fenxiao_alipay_sync_transfer(withdrawal),
            "Alipay: transfer",
        )
        # Pay Outs that died before their commit, maybe after Alipay took the
        # transfer: asked by the withdrawal's own out_biz_no
        self.sudo()._fenxiao_payout_attempts_due("alipay")._fenxiao_ask_gateway(
            provider_for,
            lambda provider, withdrawal: provider._fenxiao_alipay_recover_transfer(withdrawal),
            "Alipay: attempted payout",
        )
