from odoo import fields, models


class FenxiaoWithdrawalReject(models.TransientModel):
    _name = "fenxiao.withdrawal.reject"
    _description = "Reject Withdrawals"

    reason = fields.Char(required=True, help="Shown to the distributor.")

    def action_reject(self):
        withdrawals = self.env["fenxiao.withdrawal"].browse(self.env.context.get("active_ids"))
        withdrawals.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
