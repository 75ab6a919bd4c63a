from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal


class FenxiaoCheckinPortal(CustomerPortal):
    _checkin_url = "/my/checkin"

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:  # the page itself, not the badge counters
            values["fenxiao_checkin"] = request.env["fenxiao.checkin"]._fenxiao_state(
                request.env.user.partner_id, request.env.company
            )
        return values

    @route(_checkin_url, type="http", auth="user", methods=["POST"], website=True)
    def fenxiao_checkin(self, **kw):
        """Check the logged-in user in (CSRF checked by the route). Answers
        JSON when asked for it, else goes back to /my."""
        partner = request.env.user.partner_id
        company = request.env.company
        # sudo after the user check: portal users have no access to the model
        Checkin = request.env["fenxiao.checkin"].sudo()
        checkin = Checkin._fenxiao_check_in(partner, company)
        state = Checkin._fenxiao_state(partner, company)
        result = {
            "enabled": state["enabled"],
            "checked_in": bool(checkin),
            "points": checkin.points if checkin else 0.0,
            "streak": state["streak"],
            "balance": state["balance"],
        }
        if "application/json" in (request.httprequest.headers.get("Accept") or ""):
            return request.make_json_response(result)
        return request.redirect("/my")
