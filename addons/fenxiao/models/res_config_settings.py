from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # The distribution settings (binding, levels, commission, withdrawals) are
    # company settings; this module only opens their page in Settings.
    module_website_sale_fenxiao = fields.Boolean(
        string="Distribution on the website",
        help="Referral links, the distributor centre and posters on the shop.",
    )
