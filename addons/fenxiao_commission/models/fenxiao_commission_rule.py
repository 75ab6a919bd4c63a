from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from odoo.addons.fenxiao.models.res_company import MAX_LEGAL_LEVELS

# What ``_specificity``, ``_match``, ``_commission_amount`` and the ledger read.
RULE_FIELDS = [
    "sequence",
    "level",
    "tier_id",
    "product_categ_id",
    "product_tmpl_id",
    "amount_type",
    "rate",
    "fixed_amount",
]


class FenxiaoCommissionRule(models.Model):
    """How much a distributor earns on a sale, by tier, level and product.

    For each order line and level the most specific rule that applies wins: a
    product rule beats a category rule (a deeper category beats its parent),
    which beats a rule for every product; a rule for the earner's tier beats one
    for all tiers. Ties go to the sequence.
    """

    _name = "fenxiao.commission.rule"
    _inherit = ["fenxiao.registry.cache.mixin"]
    _description = "Commission Rule"
    _order = "sequence, level, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level = fields.Integer(
        required=True,
        default=1,
        help="1 = the direct referrer, 2 = their upline, ... up to the compliance cap.",
    )
    tier_id = fields.Many2one(
        "fenxiao.tier", ondelete="cascade", help="Empty: for distributors of every tier."
    )
    product_categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        ondelete="cascade",
        help="Applies to this category and its sub-categories.",
    )
    product_tmpl_id = fields.Many2one("product.template", string="Product", ondelete="cascade")
    amount_type = fields.Selection(
        [("percent", "Percentage of the base"), ("fixed", "Fixed amount per unit")],
        string="Type",
        default="percent",
        required=True,
    )
    rate = fields.Float(string="Rate (%)", digits=(16, 2))
    fixed_amount = fields.Monetary(string="Amount per Unit")
    date_from = fields.Date(string="Valid From")
    date_to = fields.Date(string="Valid Until")

    @api.constrains("level", "rate", "fixed_amount", "date_from", "date_to", "company_id")
    def _check_rule(self):
        for rule in self:
            if not 1 <= rule.level <= MAX_LEGAL_LEVELS:
                raise ValidationError(
                    self.env._(
                        "A commission level is between 1 and %(max)s (《禁止传销条例》).",
                        max=MAX_LEGAL_LEVELS,
                    )
                )
            if not 0 <= rule.rate <= 100 or rule.fixed_amount < 0:
                raise ValidationError(
                    self.env._("A rate is between 0% and 100%; an amount is not negative.")
                )
            if rule.date_from and rule.date_to and rule.date_from > rule.date_to:
                raise ValidationError(self.env._("A rule cannot end before it starts."))

    def _specificity(self):
        """A sortable score: higher is more specific."""
        self.ensure_one()
        score = 0
        if self.product_tmpl_id:
            score += 1000
        elif self.product_categ_id:
            score += 100 + self.product_categ_id.parent_path.count("/")
        if self.tier_id:
            score += 10
        return (score, -self.sequence, -self.id)

    # The rules valid on a day are cached per registry (_fenxiao_rule_values):
    # any change to a rule clears the cache (fenxiao.registry.cache.mixin), and
    # so do the deletions that remove rules by cascade (fenxiao.tier,
    # product.category, product.template in this module).
    def _fenxiao_write_clears_cache(self, vals):
        return True

    @api.model
    def _rules_for(self, company, date):
        """Active rules of a company valid on ``date``, most specific first.

        Asked on every paid order (and every product page's estimate): the
        rules and what matching and computing read come from the registry's
        cache, put in the environment's cache, so that a warm server pays no
        query for them."""
        values = self._fenxiao_rule_values(company.id, date)
        rules = self.browse(row[0] for row in values)
        cache = self.env.cache
        for index, name in enumerate(RULE_FIELDS, start=1):
            cache.insert_missing(rules, self._fields[name], [row[index] for row in values])
        return rules.sorted(lambda rule: rule._specificity(), reverse=True)

    @api.model
    @tools.ormcache("company_id", "date")
    def _fenxiao_rule_values(self, company_id, date):
        """((id, *values of RULE_FIELDS as cached), ...) of the active rules of
        ``company_id`` valid on ``date``: one search_fetch, then cached."""
        rules = (
            self.sudo()
            .with_context(active_test=True)
            .search_fetch(
                [
                    ("company_id", "=", company_id),
                    "|",
                    ("date_from", "=", False),
                    ("date_from", "<=", date),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", date),
                ],
                RULE_FIELDS,
            )
        )
        cache = self.env.cache
        fields_ = [self._fields[name] for name in RULE_FIELDS]
        return tuple((rule.id, *(cache.get(rule, field) for field in fields_)) for rule in rules)

    def _commission_amount(self, base, quantity, currency):
        """What this rule pays: a share of ``base``, or a fixed amount per unit.

        ``base`` is what the customer paid for the goods, ``quantity`` their
        units; the result is rounded to ``currency``.
        """
        self.ensure_one()
        if self.amount_type == "percent":
            return currency.round(base * self.rate / 100.0)
        return currency.round(self.fixed_amount * quantity)

    def _match(self, level, tier, product):
        """The first of ``self`` (sorted most specific first) that applies."""
        categ_path = product.categ_id.parent_path or ""
        for rule in self:
            if rule.level != level:
                continue
            if rule.tier_id and rule.tier_id != tier:
                continue
            if rule.product_tmpl_id and rule.product_tmpl_id != product.product_tmpl_id:
                continue
            if rule.product_categ_id and not categ_path.startswith(
                rule.product_categ_id.parent_path
            ):
                continue
            return rule
        return self.browse()
