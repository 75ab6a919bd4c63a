from werkzeug.urls import url_quote

from odoo import http
from odoo.http import request
from odoo.tools import format_amount

from odoo.addons.website_sale.controllers.main import WebsiteSale


class FenxiaoShare(WebsiteSale):
    """Share and earn: a distributor's own link and poster of a product."""

    @staticmethod
    def _fenxiao_sharing_distributor():
        """The signed-in user's distributor if they earn on what they share."""
        return request.website._fenxiao_sharing_distributor()

    @staticmethod
    def _fenxiao_product_share_url(product, distributor):
        base_url = request.website.get_base_url()
        return f"{base_url}{product.website_url}?ref={url_quote(distributor.referral_code)}"

    def _fenxiao_share_values(self, product):
        distributor = self._fenxiao_sharing_distributor()
        if not distributor or not product.is_published:
            return {}
        website = request.website
        variant = product._get_first_possible_variant_id()
        variant = request.env["product.product"].browse(variant) or product.product_variant_id
        # the unit price an order line gets, before taxes are applied
        price = website.pricelist_id._get_product_price(variant, 1.0, currency=website.currency_id)
        commission = product._fenxiao_estimated_commission(
            distributor, price, currency=website.currency_id
        )
        return {
            "fenxiao_share": {
                "commission": commission,
                "currency": distributor.company_id.currency_id,
                "url": self._fenxiao_product_share_url(product, distributor),
                "poster_url": f"/shop/fenxiao/poster/{product.id}.png",
            }
        }

    def _prepare_product_values(self, product, category, search, **kwargs):
        values = super()._prepare_product_values(product, category, search, **kwargs)
        values.update(self._fenxiao_share_values(product))
        return values

    @http.route(
        "/shop/fenxiao/poster/<int:product_template_id>.png",
        type="http",
        auth="user",
        website=True,
        sitemap=False,
    )
    def fenxiao_product_poster(self, product_template_id, download=None, **kw):
        distributor = self._fenxiao_sharing_distributor()
        product = request.env["product.template"].browse(product_template_id).exists()
        # only what a visitor could open: published on this website
        if (
            not distributor
            or not product
            or not product.sudo().is_published
            or not product.sudo().can_access_from_current_website()
        ):
            return request.not_found()
        product = product.sudo()
        info = product._get_combination_info()
        price = format_amount(request.env, info["price"], info["currency"])
        data = request.env["fenxiao.poster"]._product_poster_png(
            distributor, product, price, self._fenxiao_product_share_url(product, distributor)
        )
        headers = [("Content-Type", "image/png"), ("Cache-Control", "private, max-age=3600")]
        if download:
            filename = f"product-{product.id}-{distributor.referral_code}.png"
            headers.append(("Content-Disposition", f'attachment; filename="{filename}"'))
        return request.make_response(data, headers)
