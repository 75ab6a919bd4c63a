from odoo import api, fields, models, tools
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# Badges from automatic promotions: what a shopper gets without a code.
BADGE_PROGRAM_TYPES = ("promotion", "buy_x_get_y")
MAX_BADGES_PER_PRODUCT = 2


class Website(models.Model):
    _inherit = "website"

    @api.model
    def _get_product_sort_mapping(self):
        return [
            ("fenxiao_sales_90d desc", self.env._("Best Selling")),
            *super()._get_product_sort_mapping(),
        ]

    def _get_checkout_step_list(self):
        """The cart step is where the shopper checks the order before paying:
        Odoo's zh_CN calls it 订单评价 (a rating of the order)."""
        steps = super()._get_checkout_step_list()
        for xmlids, step in steps:
            if "website_sale.cart" in xmlids:
                step["name"] = _lt("Review Order")
        return steps

    def _fenxiao_badge_programs(self, today, pricelist_ids):
        """The automatic promotions running ``today`` on this website, for its
        pricelists, in the order they are listed in the back office."""
        self.ensure_one()
        return (
            self.env["loyalty.program"]
            .sudo()
            .search(
                [
                    ("program_type", "in", BADGE_PROGRAM_TYPES),
                    ("trigger", "=", "auto"),
                    ("ecommerce_ok", "=", True),
                    ("website_id", "in", (False, self.id)),
                    ("company_id", "in", (False, self.company_id.id)),
                    "|",
                    ("pricelist_ids", "=", False),
                    ("pricelist_ids", "in", list(pricelist_ids)),
                    "|",
                    ("date_from", "=", False),
                    ("date_from", "<=", today),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", today),
                ],
                order="sequence, id",
            )
        )

    def _fenxiao_promotion_badges(self, templates):
        """{product.template id: [promotion names]} for ``templates`` of one page.

        A product gets the badge of a promotion when buying it counts towards
        the promotion (its rules), or, for a promotion that any order triggers,
        when its reward discounts that product. Every shop page shows badges:
        which promotion concerns which product is worked out once per catalog
        and promotions (``_fenxiao_badge_products``), and a page costs one
        query, the catalog's stamp, whatever its number of products.
        """
        self.ensure_one()
        badges = {template_id: [] for template_id in templates.ids}
        if not templates:
            return badges
        promotions = self._fenxiao_badge_products(
            self.env.lang,
            fields.Date.context_today(self),
            tuple(self.pricelist_id.ids),
            self._fenxiao_catalog_stamp(),
        )
        for name, template_ids in promotions:
            for template_id, names in badges.items():
                if len(names) < MAX_BADGES_PER_PRODUCT and (
                    template_ids is None or template_id in template_ids
                ):
                    names.append(name)
        return badges

    def _fenxiao_catalog_stamp(self):
        """What the products a rule or reward names depend on: products, their
        categories and tags. Any change there (in another transaction) changes
        this stamp, and the badges are worked out again. Loyalty programs,
        rules and rewards clear the cache themselves when they change
        (loyalty.program, loyalty.rule, loyalty.reward)."""
        self.env.cr.execute(
            """
            SELECT (SELECT row(count(*), max(write_date))::text FROM product_template),
                   (SELECT row(count(*), max(write_date))::text FROM product_product),
                   (SELECT row(count(*), max(write_date))::text FROM product_category)
            """
        )
        return self.env.cr.fetchone()

    @tools.ormcache("self.id", "lang", "today", "pricelist_ids", "stamp")
    def _fenxiao_badge_products(self, lang, today, pricelist_ids, stamp):
        """((promotion name, frozenset of template ids, or None for every
        product), ...) of the promotions running ``today``, in their order.
        One query per rule or reward that names products."""
        website = self.with_context(lang=lang)
        Product = website.env["product.product"].sudo().with_context(active_test=False)
        promotions = []
        for program in website._fenxiao_badge_programs(today, pricelist_ids):
            domains = [rule._get_valid_product_domain() for rule in program.rule_ids]
            if all(not domain for domain in domains):
                # any order triggers it: badge what the reward discounts
                domains = [
                    reward._get_discount_product_domain()
                    if reward.reward_type == "discount"
                    and reward.discount_applicability == "specific"
                    else []
                    for reward in program.reward_ids
                ] or [[]]
            if any(not domain for domain in domains):
                promotions.append((program.name, None))
                continue
            matching = set()
            for domain in domains:
                groups = Product._read_group(domain, ["product_tmpl_id"])
                matching |= {template.id for (template,) in groups}
            promotions.append((program.name, frozenset(matching)))
        return tuple(promotions)
