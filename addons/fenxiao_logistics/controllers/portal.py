from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class ParcelPortal(CustomerPortal):
    @http.route(
        "/my/orders/<int:order_id>/fenxiao_confirm_receipt",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_fenxiao_confirm_receipt(self, order_id, **_kwargs):
        """确认收货 by the order's own shopper (no access token: the signed-in owner only)."""
        try:
            order_sudo = self._document_check_access("sale.order", order_id)
        except (AccessError, MissingError) as error:
            raise Forbidden() from error
        order_sudo.action_fenxiao_confirm_receipt()
        return request.redirect(f"/my/orders/{order_sudo.id}#fenxiao_parcels")
