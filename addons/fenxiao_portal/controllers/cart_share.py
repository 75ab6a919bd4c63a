import binascii
from datetime import timedelta

from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.http import request
from odoo.tools.misc import hash_sign, verify_hash_signed

# a shared cart is a link in a chat message: keep it short and bounded
MAX_SHARED_LINES = 30
MAX_QUANTITY = 99
SCOPE = "fenxiao-cart-share"
LINK_LIFETIME = timedelta(days=30)


class FenxiaoCartShare(http.Controller):
    """Share the cart: a signed link that fills the recipient's own cart.

    The link carries the products and quantities and the sharer's referral
    (their own code when they are a distributor, else the one they came
    with), signed with the database secret by Odoo's ``hash_sign`` so that
    nobody can make one up, and valid for 30 days.
    """

    @http.route("/shop/cart/share", type="json", auth="public", website=True)
    def share_cart(self):
        order = request.website.sale_get_order()
        lines = [
            [line.product_id.id, int(min(line.product_uom_qty, MAX_QUANTITY))]
            for line in order.order_line
            # promotions and coupons are the recipient's own to get
            if line.product_id.sale_ok
            and not line.display_type
            and not line.is_reward_line
            and line.product_uom_qty >= 1
        ][:MAX_SHARED_LINES]
        if not lines:
            return {"error": request.env._("Your cart is empty: add something to share.")}
        partner = request.env.user.partner_id.sudo()
        code = (
            not request.env.user._is_public() and partner._fenxiao_own_distributor().referral_code
        ) or request.env["ir.http"]._fenxiao_referral_code()
        token = self._sign({"l": lines, "r": code or ""})
        return {"url": f"{request.httprequest.host_url.rstrip('/')}/shop/cart/shared/{token}"}

    @http.route(
        "/shop/cart/shared/<string:token>", type="http", auth="public", website=True, sitemap=False
    )
    def open_shared_cart(self, token, **kwargs):
        payload = self._verify(token)
        if payload is None:
            raise BadRequest(request.env._("This shared cart link is broken or was altered."))
        if payload.get("r"):
            request.env["ir.http"]._fenxiao_capture_referral(
                str(payload["r"])[:64], landing_path="/shop/cart"
            )
        products = (
            request.env["product.product"]
            .browse({product_id for product_id, _qty in payload["l"]})
            .exists()
        )
        available = products.filtered(lambda p: p.sale_ok and p.website_published).ids
        order = request.website.sale_get_order(force_create=True)
        for product_id, quantity in payload["l"]:
            if product_id in available:
                order._cart_update(product_id=product_id, add_qty=quantity)
        return request.redirect("/shop/cart")

    # ------------------------------------------------------------------
    def _sign(self, payload):
        return hash_sign(request.env(su=True), SCOPE, payload, expiration=LINK_LIFETIME)

    def _verify(self, token):
        """The payload of a token this database signed and that has not expired, or None."""
        if not isinstance(token, str) or len(token) > 4096:
            return None
        try:
            payload = verify_hash_signed(request.env(su=True), SCOPE, token)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        lines = payload.get("l") if isinstance(payload, dict) else None
        if not isinstance(lines, list) or not 0 < len(lines) <= MAX_SHARED_LINES:
            return None
        for line in lines:
            if not (
                isinstance(line, list)
                and len(line) == 2
                and all(isinstance(value, int) and not isinstance(value, bool) for value in line)
                and line[0] > 0
                and 0 < line[1] <= MAX_QUANTITY
            ):
                return None
        return payload
