from odoo import api, fields, models
from odoo.osv import expression
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

    def _fenxiao_badge_programs(self):
        """The automatic promotions running today on this website, for its
        pricelist, in the order they are listed in the back office."""
        self.ensure_one()
        today = fields.Date.context_today(self)
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
                    ("pricelist_ids", "in", self.pricelist_id.ids),
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
        when its reward discounts that product. One query per rule or reward
        that names products, whatever the number of products on the page.
        """
        self.ensure_one()
        badges = {template_id: [] for template_id in templates.ids}
        if not templates:
            return badges
        Product = self.env["product.product"].sudo().with_context(active_test=False)
        on_page = [("product_tmpl_id", "in", templates.ids)]

        def templates_matching(domain):
            if not domain:
                return set(templates.ids)
            groups = Product._read_group(expression.AND([on_page, domain]), ["product_tmpl_id"])
            return {template.id for (template,) in groups}

        for program in self._fenxiao_badge_programs():
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
            matching = set()
            for domain in domains:
                matching |= templates_matching(domain)
                if len(matching) == len(badges):
                    break
            for template_id in matching:
                if len(badges[template_id]) < MAX_BADGES_PER_PRODUCT:
                    badges[template_id].append(program.name)
        return badges
