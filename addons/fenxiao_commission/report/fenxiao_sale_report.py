from odoo import fields, models
from odoo.tools import SQL

ORDER_KINDS = [("first", "First Order"), ("repeat", "Repeat Order")]


class FenxiaoSaleReport(models.Model):
    """Confirmed sales by distributor, tier, network depth and promotion.

    One row per confirmed sale order line of goods (no shipping, no section
    or note), in the company's currency, like Odoo's sale.report but with
    what distribution asks: the distributor the order is credited to, that
    distributor's tier and depth in the network, the promotion of a reward
    line, and whether the order is the customer's first or a repeat.
    """

    _name = "fenxiao.sale.report"
    _description = "Distribution Sales Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "order_id"
    # flushed before the view is read: a test, or an order confirmed earlier in
    # the same request, is seen
    _depends = {
        "sale.order": [
            "state",
            "date_order",
            "partner_id",
            "company_id",
            "currency_rate",
            "fenxiao_distributor_id",
        ],
        "sale.order.line": [
            "order_id",
            "product_id",
            "product_uom_qty",
            "price_subtotal",
            "reward_id",
            "display_type",
            "is_delivery",
        ],
        "loyalty.reward": ["program_id"],
        "res.partner": ["commercial_partner_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "fenxiao.distributor": ["tier_id", "parent_path"],
    }

    date = fields.Datetime(string="Order Date", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True, aggregator="count_distinct")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    price_subtotal = fields.Monetary(
        string="Untaxed Amount",
        readonly=True,
        help="The line's untaxed amount in the company's currency; negative for a discount.",
    )
    distributor_id = fields.Many2one(
        "fenxiao.distributor",
        readonly=True,
        aggregator="count_distinct",
        help="The distributor the order is credited to; empty for orders nobody referred.",
    )
    tier_id = fields.Many2one("fenxiao.tier", readonly=True, help="The distributor's tier today.")
    depth = fields.Integer(
        string="Network Depth",
        readonly=True,
        aggregator=None,
        help="The distributor's depth in the network: 1 without upline, 2 for their recruits…",
    )
    program_id = fields.Many2one(
        "loyalty.program",
        string="Promotion",
        readonly=True,
        help="The promotion, coupon or loyalty program of a reward line.",
    )
    discount = fields.Monetary(
        string="Promotion Discount",
        readonly=True,
        help="What a reward line took off the order, untaxed, in the company's currency: "
        "a discount, or a free product at the price paid for it in the same order.",
    )
    promoted_sales = fields.Monetary(
        string="Sales with Promotion",
        readonly=True,
        help="The untaxed goods of the orders that used the promotion, counted once per "
        "order and promotion: an order with two promotions counts for each.",
    )
    order_kind = fields.Selection(
        ORDER_KINDS,
        string="First or Repeat",
        readonly=True,
        help="Whether the order is the customer's first confirmed order or a repeat one.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH orders AS (
                -- each confirmed order's rank among its customer's (the
                -- commercial entity's): one window over the orders, no
                -- subquery per row
                SELECT so.id,
                       so.date_order,
                       so.partner_id,
                       so.company_id,
                       so.fenxiao_distributor_id,
                       CASE COALESCE(so.currency_rate, 0)
                            WHEN 0 THEN 1.0 ELSE so.currency_rate END AS rate,
                       row_number() OVER (
                           PARTITION BY partner.commercial_partner_id
                           ORDER BY so.date_order, so.id
                       ) AS customer_rank
                  FROM sale_order so
                  JOIN res_partner partner ON partner.id = so.partner_id
                 WHERE so.state = 'sale'
            ),
            lines AS (
                SELECT line.id,
                       line.order_id,
                       line.product_id,
                       line.product_uom_qty,
                       line.price_subtotal / orders.rate AS amount,
                       -- the untaxed unit price paid for this product in the
                       -- order: what a free unit of it (买二送一) is worth
                       SUM(CASE WHEN line.reward_id IS NULL
                                THEN line.price_subtotal / orders.rate END)
                           OVER (PARTITION BY line.order_id, line.product_id)
                       / NULLIF(SUM(CASE WHEN line.reward_id IS NULL
                                         THEN line.product_uom_qty END)
                           OVER (PARTITION BY line.order_id, line.product_id), 0) AS paid_unit,
                       reward.program_id,
                       orders.date_order,
                       orders.partner_id,
                       orders.company_id,
                       orders.fenxiao_distributor_id,
                       orders.customer_rank,
                       SUM(CASE WHEN line.reward_id IS NULL
                                THEN line.price_subtotal / orders.rate END)
                           OVER (PARTITION BY line.order_id) AS goods_total,
                       row_number() OVER (
                           PARTITION BY line.order_id, reward.program_id ORDER BY line.id
                       ) AS program_line_rank
                  FROM sale_order_line line
                  JOIN orders ON orders.id = line.order_id
                  LEFT JOIN loyalty_reward reward ON reward.id = line.reward_id
                 WHERE line.display_type IS NULL
                   AND line.is_delivery IS NOT TRUE
            )
            SELECT lines.id,
                   lines.date_order AS date,
                   lines.order_id,
                   lines.partner_id,
                   lines.product_id,
                   product.product_tmpl_id,
                   template.categ_id,
                   lines.product_uom_qty AS quantity,
                   lines.amount AS price_subtotal,
                   lines.fenxiao_distributor_id AS distributor_id,
                   distributor.tier_id,
                   length(distributor.parent_path)
                       - length(replace(distributor.parent_path, '/', '')) AS depth,
                   lines.program_id,
                   -- a discount line's negative amount, or a free product's
                   -- quantity at the price paid for it in the same order
                   CASE WHEN lines.program_id IS NULL THEN 0
                        WHEN lines.amount < 0 THEN -lines.amount
                        ELSE lines.product_uom_qty * COALESCE(lines.paid_unit, 0) - lines.amount
                   END AS discount,
                   CASE WHEN lines.program_id IS NOT NULL AND lines.program_line_rank = 1
                        THEN COALESCE(lines.goods_total, 0) ELSE 0 END AS promoted_sales,
                   CASE WHEN lines.customer_rank = 1
                        THEN 'first' ELSE 'repeat' END AS order_kind,
                   lines.company_id,
                   company.currency_id
              FROM lines
              JOIN product_product product ON product.id = lines.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN res_company company ON company.id = lines.company_id
              LEFT JOIN fenxiao_distributor distributor
                     ON distributor.id = lines.fenxiao_distributor_id
            """
        )
