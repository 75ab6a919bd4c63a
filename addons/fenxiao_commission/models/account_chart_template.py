from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _load(self, template_code, company, install_demo):
        result = super()._load(template_code, company, install_demo)
        company._fenxiao_commission_setup_accounting()
        return result
