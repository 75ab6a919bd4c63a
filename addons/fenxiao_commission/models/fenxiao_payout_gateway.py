from odoo import api, models


class FenxiaoPayoutGateway(models.AbstractModel):
    """The interface through which approved withdrawals are paid out.

    A payment module that can transfer money (WeChat Pay's 商家转账到零钱,
    Alipay's 单笔转账) overrides :meth:`_fenxiao_payout_methods` to add its
    method and :meth:`_fenxiao_payout_send` to send the transfers of that
    method; it reports transfers that finish later with
    ``fenxiao.withdrawal._fenxiao_payout_done`` or ``_fenxiao_payout_failed``.
    A Pay Out whose server died after the gateway took the transfer leaves
    the withdrawal approved with only a payout attempt: its cron asks the
    gateway about ``fenxiao.withdrawal._fenxiao_payout_attempts_due(method)``
    by the withdrawal's own transfer number, then calls
    ``_fenxiao_payout_resume`` (the gateway holds it) or
    ``_fenxiao_payout_forget_attempts`` (it does not), never sending anew.
    Without such a module a manager pays by hand and records the payment.
    """

    _name = "fenxiao.payout.gateway"
    _description = "Payout Gateway"

    @api.model
    def _fenxiao_payout_methods(self, company):
        """The payout methods that can be sent automatically for ``company``."""
        return set()

    @api.model
    def _fenxiao_payout_send(self, withdrawals):
        """Send the transfers of ``withdrawals`` (all of one method).

        :return: {withdrawal: {"state": "done" | "pending" | "failed",
                  "reference": the gateway's transfer id, "message": text}}
        """
        message = self.env._("No transfer service is installed for this payout method.")
        return {withdrawal: {"state": "failed", "message": message} for withdrawal in withdrawals}
