from odoo import fields, models

from .fenxiao_payout_account import PAYOUT_METHODS


class FenxiaoWithdrawalPayoutAttempt(models.Model):
    """A Pay Out about to call a gateway, committed on its own before the call.

    The request that pays moves the withdrawal to *Paying* and calls the
    gateway in one transaction: a server killed after the gateway took the
    transfer but before the commit leaves the withdrawal *Approved* with
    nothing of the transfer recorded. This row is written and committed by a
    short transaction of its own (never an update of the withdrawal's row,
    which the paying request holds), so it outlives that rollback; the
    gateway's cron asks the gateway about the withdrawals it names and drops
    it once answered.
    """

    _name = "fenxiao.withdrawal.payout.attempt"
    _description = "Withdrawal Payout Attempt"
    _order = "id"

    withdrawal_id = fields.Many2one(
        "fenxiao.withdrawal", required=True, readonly=True, index=True, ondelete="cascade"
    )
    method = fields.Selection(PAYOUT_METHODS, required=True, readonly=True, index=True)
