from odoo.http import request

from odoo.addons.loyalty.controllers.portal import CustomerPortalLoyalty


class FenxiaoPromotionPortal(CustomerPortalLoyalty):
    def _prepare_home_portal_values(self, counters):
        """The shopper's own unused coupons (the new-shopper one among them)
        for the "My Coupons" card of /my: Odoo's portal lists only loyalty
        and eWallet cards."""
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            values["fenxiao_coupons"] = (
                request.env["loyalty.card"]
                .sudo()
                ._fenxiao_portal_coupons(request.env.user.partner_id)
            )
        return values
