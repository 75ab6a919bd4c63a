import re

from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request

from odoo.addons.website_sale.controllers.main import WebsiteSale

# ?attribute_value=<attribute id>-<value id>; ?brand=<id> (OCA's brand filter)
ATTRIBUTE_VALUE_RE = re.compile(r"^\d{1,9}-\d{1,9}$")
ID_RE = re.compile(r"^\d{1,9}$")
ID_FILTERS = ("brand", "brand_ids")


class FenxiaoWebsiteSale(WebsiteSale):
    def _get_search_order(self, post):
        # Odoo hands ?order= to the ORM as it comes: anything but one of the
        # shop's sort options falls back to the website's default.
        allowed = dict(request.env["website"]._get_product_sort_mapping())
        if post.get("order") not in allowed:
            post = dict(post, order=None)
        return super()._get_search_order(post)

    @http.route()
    def shop(self, *args, **kwargs):
        # Odoo and OCA's brand filter turn these parameters into ints as they
        # come (a 500 on ?attribute_value=abc): a hand-edited or truncated
        # link goes to the same page without the filters that make no sense.
        query = request.httprequest.args
        kept = [
            (key, value)
            for key, value in query.items(multi=True)
            if not (
                (key == "attribute_value" and value and not ATTRIBUTE_VALUE_RE.match(value))
                or (key in ID_FILTERS and value and not ID_RE.match(value))
            )
        ]
        if len(kept) != len(list(query.items(multi=True))):
            return request.redirect(f"{request.httprequest.path}?{url_encode(kept)}")
        response = super().shop(*args, **kwargs)
        qcontext = getattr(response, "qcontext", None)
        if qcontext and qcontext.get("products") is not None:
            # once for the whole page, not per product card
            qcontext["fenxiao_badges"] = request.website._fenxiao_promotion_badges(
                qcontext["products"]
            )
        return response

    def _prepare_product_values(self, product, category, search, **kwargs):
        values = super()._prepare_product_values(product, category, search, **kwargs)
        values["fenxiao_badges"] = request.website._fenxiao_promotion_badges(product)
        return values
