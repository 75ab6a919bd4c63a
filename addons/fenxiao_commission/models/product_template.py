from odoo import api, fields, models, tools

# Loyalty programs whose products sell money to spend later, not goods.
STORED_VALUE_PROGRAMS = ("gift_card", "ewallet")


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def unlink(self):
        # the product's commission rules go with it (ondelete cascade): out
        # of fenxiao.commission.rule's cached rules too
        self.env.registry.clear_cache()
        return super().unlink()

    def _fenxiao_estimated_commission(self, distributor, price, currency=None):
        """What ``distributor`` would earn as level 1 on one unit sold at ``price``.

        ``price`` is the unit price the shop shows before any promotion, in
        ``currency`` (the company's by default); taxes are applied as on an
        order line, so the base follows the company's commission base setting.
        The rule is the one the engine would pick today for the distributor's
        tier. An estimate: promotions, the buyer's own binding and the
        compliance settings decide the real amount when the order is paid.
        Returns 0.0 when nothing would be earned.
        """
        self.ensure_one()
        distributor = distributor.sudo()
        product = self.product_variant_id
        if not product or not distributor or distributor.state != "active":
            return 0.0
        if product._fenxiao_stored_value_products():
            return 0.0
        company = distributor.company_id or self.env.company
        company_currency = company.currency_id
        currency = currency or company_currency
        today = fields.Date.context_today(self)
        rule = (
            self.env["fenxiao.commission.rule"]
            .sudo()
            ._rules_for(company, today)
            ._match(1, distributor.tier_id, product)
        )
        if not rule:
            return 0.0
        base = 0.0
        if rule.amount_type == "percent":
            taxes = self.sudo().taxes_id._filter_taxes_by_company(company)
            totals = taxes.compute_all(price, currency, 1.0, product=product)
            base = (
                totals["total_included"]
                if company.fenxiao_commission_base_tax == "included"
                else totals["total_excluded"]
            )
            base = currency._convert(base, company_currency, company, today)
        return rule._commission_amount(base, 1.0, company_currency)


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _fenxiao_stored_value_products(self):
        """The products of ``self`` that sell stored value: the gift cards and
        eWallet top-ups of loyalty programs, archived ones included (a card
        sold then is still money to be spent). They earn no commission."""
        if not self:
            return self
        stored_value = self._fenxiao_stored_value_product_ids()
        return self.filtered(lambda product: product.id in stored_value)

    @api.model
    @tools.ormcache()
    def _fenxiao_stored_value_product_ids(self):
        """Ids of every product that sells stored value, cached: asked on every
        paid order, changed only with the loyalty programs (loyalty.program
        and loyalty.rule clear the cache)."""
        groups = (
            self.env["loyalty.rule"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("program_id.program_type", "in", STORED_VALUE_PROGRAMS)],
                ["product_ids"],
            )
        )
        return frozenset(product.id for (product,) in groups if product)
