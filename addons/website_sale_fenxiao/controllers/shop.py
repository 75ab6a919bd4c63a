from odoo.http import request

from odoo.addons.website_sale.controllers.main import WebsiteSale


class FenxiaoWebsiteSale(WebsiteSale):
    def _get_search_order(self, post):
        # Odoo hands ?order= to the ORM as it comes: anything but one of the
        # shop's sort options falls back to the website's default.
        allowed = dict(request.env["website"]._get_product_sort_mapping())
        if post.get("order") not in allowed:
            post = dict(post, order=None)
        return super()._get_search_order(post)
