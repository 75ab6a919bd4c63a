from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    module_website_sale_fenxiao = fields.Boolean(
        string="Distribution on the website",
        help="Referral links, the distributor centre and posters on the shop.",
    )
    fenxiao_max_levels = fields.Integer(related="company_id.fenxiao_max_levels", readonly=False)
    fenxiao_onboarding = fields.Selection(
        related="company_id.fenxiao_onboarding", readonly=False, required=True
    )
    fenxiao_spend_threshold = fields.Monetary(
        related="company_id.fenxiao_spend_threshold", readonly=False
    )
    fenxiao_binding_event = fields.Selection(
        related="company_id.fenxiao_binding_event", readonly=False, required=True
    )
    fenxiao_binding_days = fields.Integer(related="company_id.fenxiao_binding_days", readonly=False)
    fenxiao_binding_takeover = fields.Boolean(
        related="company_id.fenxiao_binding_takeover", readonly=False
    )
    fenxiao_tier_downgrade = fields.Boolean(
        related="company_id.fenxiao_tier_downgrade", readonly=False
    )
    fenxiao_tier_grace_days = fields.Integer(
        related="company_id.fenxiao_tier_grace_days", readonly=False
    )
    fenxiao_review_period_days = fields.Integer(
        related="company_id.fenxiao_review_period_days", readonly=False
    )
    fenxiao_review_min_sales = fields.Monetary(
        related="company_id.fenxiao_review_min_sales", readonly=False
    )
    fenxiao_review_max_after_sales_rate = fields.Float(
        related="company_id.fenxiao_review_max_after_sales_rate", readonly=False
    )
    fenxiao_review_hard_after_sales_rate = fields.Float(
        related="company_id.fenxiao_review_hard_after_sales_rate", readonly=False
    )
    fenxiao_review_max_complaints = fields.Integer(
        related="company_id.fenxiao_review_max_complaints", readonly=False
    )
    fenxiao_review_auto_disqualify = fields.Boolean(
        related="company_id.fenxiao_review_auto_disqualify", readonly=False
    )
