from odoo import api, models

# One bank journal per wallet, as Chinese accountants keep them: receipts are
# reconciled against each platform's own settlement statement (对账单).
DEMO_JOURNALS = {
    "payment_wechatpay.payment_provider_wechatpay": ("微信支付", "WXPAY"),
    "payment_alipay.payment_provider_alipay": ("支付宝", "ZFB"),
}


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    def _fenxiao_demo_payment_journals(self):
        """Demo data: WeChat Pay and Alipay receipts in journals of their own."""
        Journal = self.env["account.journal"]
        for xmlid, (name, code) in DEMO_JOURNALS.items():
            provider = self.env.ref(xmlid)
            company = provider.company_id
            journal = Journal.search(
                [("code", "=", code), ("company_id", "=", company.id)], limit=1
            ) or Journal.with_company(company).create(
                {"name": name, "code": code, "type": "bank", "company_id": company.id}
            )
            provider.journal_id = journal
