from odoo import http
from odoo.http import request

from odoo.addons.website_sale.controllers.main import WebsiteSale


class FenxiaoFlashSaleShop(WebsiteSale):
    @http.route()
    def shop(self, *args, **kwargs):
        response = super().shop(*args, **kwargs)
        qcontext = getattr(response, "qcontext", None)
        if qcontext and qcontext.get("products") is not None:
            # once for the whole page, not per product card
            sales = request.env["fenxiao.flash.sale"]._fenxiao_current(
                qcontext["products"], request.website, with_scheduled=True
            )
            qcontext["fenxiao_flash_sales"] = {
                sale.product_tmpl_id.id: sale._fenxiao_shop_info() for sale in sales.values()
            }
        return response
