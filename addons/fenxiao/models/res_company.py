from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

# 《禁止传销条例》(2005) Art. 2 and 7 define pyramid selling by pay for recruits,
# entry fees and pay on a downline's sales through a pyramid; prosecution starts
# at 30+ participants over 3+ levels. Commission never walks up more than this.
MAX_LEGAL_LEVELS = 3
# Onboarding modes where buying goods is what makes someone a distributor.
# With uplines paid on a downline's sales that purchase is a disguised entry
# fee (变相交纳入门费, Art. 7(2)): these modes need a one-level network.
PURCHASE_ONBOARDING = ("first_order", "spend")


class ResCompany(models.Model):
    _inherit = "res.company"

    fenxiao_max_levels = fields.Integer(
        string="Commission Levels",
        default=2,
        help="How many levels of uplines may earn commission on a sale (1 = the direct "
        "referrer only). Never more than 3 (禁止传销条例).",
    )
    fenxiao_onboarding = fields.Selection(
        [
            ("signup", "Everyone who signs up"),
            ("application", "Apply and be approved by a manager"),
            ("first_order", "Automatically after a first paid order"),
            ("spend", "Automatically after spending a threshold"),
        ],
        string="Becoming a Distributor",
        default="application",
        required=True,
        help="Becoming a distributor never costs a fee. Joining by buying (after a first paid "
        "order or a spend threshold) needs one commission level: with more levels the purchase "
        "is a disguised entry fee (变相交纳入门费, 《禁止传销条例》 Art. 7(2)).",
    )
    fenxiao_spend_threshold = fields.Monetary(
        string="Spend Threshold",
        currency_field="currency_id",
        default=500.0,
        help="Total of paid orders after which a customer becomes a distributor.",
    )
    fenxiao_binding_event = fields.Selection(
        [
            ("visit", "First visit through a referral link"),
            ("signup", "Sign-up"),
            ("first_order", "First paid order"),
        ],
        string="Bind Customers On",
        default="visit",
        required=True,
    )
    fenxiao_binding_days = fields.Integer(
        string="Binding Protection (days)",
        default=30,
        help="During these days another distributor's link cannot take the customer over.",
    )
    fenxiao_binding_takeover = fields.Boolean(
        string="Allow Takeover After Protection",
        help="After the protection period, a referral by another distributor rebinds the "
        "customer to them.",
    )

    fenxiao_tier_downgrade = fields.Boolean(
        string="Move Distributors Down a Tier",
        help="A distributor who no longer meets their tier's conditions is marked at risk, "
        "then moved down to the highest tier they still meet after the grace period. "
        "Without it nobody is moved down automatically.",
    )
    fenxiao_tier_grace_days = fields.Integer(
        string="Tier Grace Period (days)",
        default=30,
        help="How long a distributor at risk keeps their tier before moving down.",
    )
    # Reviews (考核): the rules a periodic review applies to each active distributor.
    fenxiao_review_period_days = fields.Integer(
        string="Review Period (days)", default=30, help="How many days a review looks back."
    )
    fenxiao_review_min_sales = fields.Monetary(
        string="Minimum Personal Sales",
        currency_field="currency_id",
        default=0.0,
        help="Untaxed sales credited to the distributor over the review period.",
    )
    fenxiao_review_max_after_sales_rate = fields.Float(
        string="Maximum After-sales Rate (%)",
        default=20.0,
        help="Share of the period's orders with an after-sales request. Above it: a warning.",
    )
    fenxiao_review_hard_after_sales_rate = fields.Float(
        string="Hard After-sales Limit (%)",
        default=50.0,
        help="Above this after-sales rate a review suspends at once.",
    )
    fenxiao_review_max_complaints = fields.Integer(
        string="Maximum Complaints",
        default=3,
        help="Requests for a quality problem, goods not as described or damaged goods.",
    )
    fenxiao_review_auto_disqualify = fields.Boolean(
        string="Reviews May Disqualify",
        help="A review that would suspend a distributor whose previous review suspended them "
        "disqualifies them instead. Otherwise only a manager disqualifies.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _fenxiao_payment_onboarding_ids
        return super().create(vals_list)

    def write(self, vals):
        if {"fenxiao_onboarding", "fenxiao_max_levels"} & set(vals):
            self.env.registry.clear_cache()  # _fenxiao_payment_onboarding_ids
        return super().write(vals)

    @api.model
    @tools.ormcache()
    def _fenxiao_payment_onboarding_ids(self):
        """The companies where a paid order may enrol its buyer, cached: asked
        on every paid order, the answer changes only with the settings (and
        is empty unless commission is paid on one level only)."""
        companies = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [("fenxiao_onboarding", "in", PURCHASE_ONBOARDING), ("fenxiao_max_levels", "<=", 1)]
            )
        )
        return frozenset(companies.ids)

    @api.constrains("fenxiao_max_levels")
    def _check_fenxiao_max_levels(self):
        for company in self:
            if not 1 <= company.fenxiao_max_levels <= MAX_LEGAL_LEVELS:
                raise ValidationError(
                    self.env._(
                        "Commission may walk up between 1 and %(max)s levels, not %(levels)s. "
                        "Paying on a downline's sales through more levels is pyramid selling "
                        "(团队计酬) under the Regulations on Prohibition of Pyramid Selling "
                        "(《禁止传销条例》, 2005, articles 2 and 7).",
                        max=MAX_LEGAL_LEVELS,
                        levels=company.fenxiao_max_levels,
                    )
                )

    @api.constrains("fenxiao_max_levels", "fenxiao_onboarding")
    def _check_fenxiao_onboarding_levels(self):
        for company in self:
            if company.fenxiao_onboarding in PURCHASE_ONBOARDING and company.fenxiao_max_levels > 1:
                raise ValidationError(
                    self.env._(
                        "Becoming a distributor by buying (after a first paid order or a spend "
                        "threshold) needs a network of one commission level. With %(levels)s "
                        "levels the purchase is a disguised entry fee (变相交纳入门费) under the "
                        "Regulations on Prohibition of Pyramid Selling (《禁止传销条例》, 2005, "
                        "article 7(2)): lower the levels to 1 or let distributors apply or sign "
                        "up.",
                        levels=company.fenxiao_max_levels,
                    )
                )

    @api.constrains(
        "fenxiao_binding_days",
        "fenxiao_spend_threshold",
        "fenxiao_tier_grace_days",
        "fenxiao_review_min_sales",
        "fenxiao_review_max_complaints",
        "fenxiao_review_max_after_sales_rate",
        "fenxiao_review_hard_after_sales_rate",
    )
    def _check_fenxiao_positive(self):
        for company in self:
            if (
                company.fenxiao_binding_days < 0
                or company.fenxiao_spend_threshold < 0
                or company.fenxiao_tier_grace_days < 0
                or company.fenxiao_review_min_sales < 0
                or company.fenxiao_review_max_complaints < 0
                or company.fenxiao_review_max_after_sales_rate < 0
                or company.fenxiao_review_hard_after_sales_rate < 0
            ):
                raise ValidationError(self.env._("Days and amounts cannot be negative."))
            if company.fenxiao_review_period_days < 1:
                raise ValidationError(self.env._("A review period is at least one day."))
