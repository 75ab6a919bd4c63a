from odoo import fields, models
from odoo.tools import SQL


class FenxiaoFlashSaleReport(models.Model):
    """What each flash sale sold: its lines on confirmed orders, with the
    distributor the order is credited to. The distribution dashboard reads it
    (spreadsheet_dashboard_fenxiao_flash_sale), so distribution managers may,
    without the rights on sale orders that reading the order lines needs."""

    _name = "fenxiao.flash.sale.report"
    _description = "Flash Sale Analysis"
    _auto = False
    _order = "date desc"

    date = fields.Datetime("Order Date", readonly=True)
    flash_sale_id = fields.Many2one("fenxiao.flash.sale", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    quantity = fields.Float("Units", digits="Product Unit of Measure", readonly=True)
    price_subtotal = fields.Monetary(
        "Sales", readonly=True, help="Untaxed, in the company's currency."
    )
    distributor_id = fields.Many2one("fenxiao.distributor", readonly=True)
    tier_id = fields.Many2one("fenxiao.tier", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT line.id,
                   so.date_order AS date,
                   line.fenxiao_flash_sale_id AS flash_sale_id,
                   line.order_id,
                   so.partner_id,
                   line.product_id,
                   line.product_uom_qty AS quantity,
                   line.price_subtotal / CASE COALESCE(so.currency_rate, 0)
                                         WHEN 0 THEN 1.0 ELSE so.currency_rate END
                       AS price_subtotal,
                   so.fenxiao_distributor_id AS distributor_id,
                   distributor.tier_id,
                   so.company_id,
                   company.currency_id
              FROM sale_order_line line
              JOIN sale_order so ON so.id = line.order_id AND so.state = 'sale'
              JOIN res_company company ON company.id = so.company_id
              LEFT JOIN fenxiao_distributor distributor
                     ON distributor.id = so.fenxiao_distributor_id
             WHERE line.fenxiao_flash_sale_id IS NOT NULL
            """
        )
