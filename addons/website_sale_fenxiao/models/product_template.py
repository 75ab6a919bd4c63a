from odoo import api, fields, models

BEST_SELLER_DAYS = 90


class ProductTemplate(models.Model):
    _inherit = "product.template"

    fenxiao_sales_90d = fields.Float(
        string="Sold in 90 Days",
        digits="Product Unit of Measure",
        readonly=True,
        copy=False,
        help="Units sold on confirmed orders in the last 90 days, refreshed daily: the "
        "shop's best-selling order.",
    )

    fenxiao_auto_unpublished = fields.Boolean(
        string="Off the Shop for Lack of Stock",
        readonly=True,
        copy=False,
        help="Taken off the shop because it ran out of stock; published again when restocked.",
    )

    @api.model
    def _cron_fenxiao_refresh_best_sellers(self):
        """Recount every product's units sold in the last 90 days, in one statement."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE product_template t
               SET fenxiao_sales_90d = COALESCE(s.qty, 0)
              FROM product_template t2
              LEFT JOIN (
                    SELECT p.product_tmpl_id, SUM(l.product_uom_qty) AS qty
                      FROM sale_order_line l
                      JOIN sale_order o ON o.id = l.order_id
                      JOIN product_product p ON p.id = l.product_id
                     WHERE o.state = 'sale'
                       AND o.date_order >= (now() at time zone 'UTC') - make_interval(days => %s)
                       AND l.display_type IS NULL
                     GROUP BY p.product_tmpl_id
                   ) s ON s.product_tmpl_id = t2.id
             WHERE t.id = t2.id
               AND t.fenxiao_sales_90d IS DISTINCT FROM COALESCE(s.qty, 0)
            """,
            [BEST_SELLER_DAYS],
        )
        self.invalidate_model(["fenxiao_sales_90d"])

    def _fenxiao_watch_stock(self):
        """After stock moved: warn on low stock, unpublish at zero, republish on restock.

        Only storable products sold on the website; the company settings say
        what running out means.
        """
        products = self.filtered(lambda t: t.is_storable and t.sale_ok).sudo()
        if not products:
            return
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        summary = self.env._("Low stock")
        low = products.filtered(
            lambda t: (t.is_published or t.fenxiao_auto_unpublished)
            and 0 < t.qty_available < (t.company_id or self.env.company).fenxiao_low_stock_threshold
        )
        # one query for the open warnings, and only when something runs low
        open_warnings = set()
        if low:
            open_warnings = set(
                self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "product.template"),
                        ("res_id", "in", low.ids),
                        ("summary", "=", summary),
                    ]
                )
                .mapped("res_id")
            )
        for product in products:
            company = product.company_id or self.env.company
            quantity = product.qty_available
            if quantity <= 0:
                if company.fenxiao_out_of_stock == "unpublish" and product.is_published:
                    product.write({"is_published": False, "fenxiao_auto_unpublished": True})
                continue
            if product.fenxiao_auto_unpublished:
                product.write({"is_published": True, "fenxiao_auto_unpublished": False})
            if product in low and product.id not in open_warnings and todo:
                product.activity_schedule(
                    activity_type_id=todo.id,
                    summary=summary,
                    note=self.env._(
                        "Only %(quantity)s left of %(product)s: restock it before it sells out.",
                        quantity=quantity,
                        product=product.display_name,
                    ),
                    user_id=product.with_company(company).responsible_id.id or self.env.uid,
                )
