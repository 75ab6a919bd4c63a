from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # Set only by the shop's cart when the line holds flash-sale units: a line
    # added in the back office is never a flash-sale line.
    fenxiao_flash_sale_id = fields.Many2one(
        "fenxiao.flash.sale", string="Flash Sale", readonly=True, copy=False, index="btree_not_null"
    )
    fenxiao_flash_reservation_ids = fields.One2many(
        "fenxiao.flash.sale.reservation", "order_line_id", string="Flash Sale Reservations"
    )

    def _fenxiao_live_reservation(self):
        self.ensure_one()
        return self.sudo().fenxiao_flash_reservation_ids.filtered(
            lambda r: r.state in ("reserved", "sold")
        )[:1]

    def _get_display_price(self):
        if self.fenxiao_flash_sale_id:
            order = self.order_id
            return self.fenxiao_flash_sale_id.sudo()._fenxiao_price_in(
                order.currency_id or self.currency_id,
                order.company_id or self.env.company,
                order.date_order,
            )
        return super()._get_display_price()

    def _compute_discount(self):
        result = super()._compute_discount()
        # the flash price is the price: no pricelist discount on top of it
        self.filtered("fenxiao_flash_sale_id").discount = 0.0
        return result

    def unlink(self):
        # the units go back on sale before the line that held them goes
        self.sudo().fenxiao_flash_reservation_ids._fenxiao_release()
        return super().unlink()
