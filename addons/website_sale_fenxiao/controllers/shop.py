import re

from werkzeug.exceptions import HTTPException
from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request

from odoo.addons.fenxiao.tools.params import parse_id, parse_page, parse_price, parse_text
from odoo.addons.website_sale.controllers.main import WebsiteSale

# ?attribute_value=<attribute id>-<value id>
ATTRIBUTE_VALUE_RE = re.compile(r"[0-9]{1,9}-[0-9]{1,9}", re.ASCII)
# a search is typed by a person: a few words
MAX_SEARCH = 200


def _attribute_value(value):
    if not ATTRIBUTE_VALUE_RE.fullmatch(value):
        raise ValueError(value)


def _required_id(value):
    # OCA's brand filter turns every ?brand= into an int, an empty one too
    if parse_id(value) is None:
        raise ValueError(value)


# how each query parameter of the shop is checked: Odoo and OCA's brand
# filter turn them into ints and floats as they come, or send them to the
# database (a NUL in ?search=), and answer 500 when that fails
SHOP_PARAMETERS = {
    "attribute_value": _attribute_value,
    "brand": _required_id,
    "brand_ids": _required_id,
    "tags": _required_id,
    "category": parse_id,
    "ppg": parse_id,
    "min_price": parse_price,
    "max_price": parse_price,
    "page": parse_page,
    "search": lambda value: parse_text(value, max_length=MAX_SEARCH),
}


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
        # A hand-edited or truncated link (?attribute_value=abc, ?brand=,
        # ?min_price=1e999) goes to the same page without the filters that
        # make no sense.
        query = request.httprequest.args
        kept = [
            (key, value)
            for key, value in query.items(multi=True)
            if self._fenxiao_shop_parameter_ok(key, value)
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

    @staticmethod
    def _fenxiao_shop_parameter_ok(key, value):
        check = SHOP_PARAMETERS.get(key)
        if not check or (value == "" and check is not _required_id):
            return True
        try:
            check(value)
        except (HTTPException, ValueError):
            return False
        return True

    def _prepare_product_values(self, product, category, search, **kwargs):
        values = super()._prepare_product_values(product, category, search, **kwargs)
        values["fenxiao_badges"] = request.website._fenxiao_promotion_badges(product)
        return values
