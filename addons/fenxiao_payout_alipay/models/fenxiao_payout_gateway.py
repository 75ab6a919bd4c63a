from odoo import api, models


class FenxiaoPayoutGateway(models.AbstractModel):
    _inherit = "fenxiao.payout.gateway"

    @api.model
    def _fenxiao_payout_methods(self, company):
        methods = super()._fenxiao_payout_methods(company)
        if self.env["payment.provider"]._fenxiao_alipay_transfer_provider(company):
            methods.add("alipay")
        return methods

    @api.model
    def _fenxiao_payout_send(self, withdrawals):
        if set(withdrawals.mapped("method")) != {"alipay"}:
            return super()._fenxiao_payout_send(withdrawals)
        Provider = self.env["payment.provider"]
        return {
            withdrawal: Provider._fenxiao_alipay_transfer_provider(
                withdrawal.company_id
            )._fenxiao_alipay_transfer(withdrawal)
            for withdrawal in withdrawals
        }
