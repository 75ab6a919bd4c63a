from odoo import models
from odoo.http import request

# where the website remembers a shopper's referral between visits
REFERRAL_KEY = "fenxiao_ref"


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, arguments):
        result = super()._pre_dispatch(rule, arguments)
        # ?ref=CODE on any page of the website: a distributor's shared link
        code = request.httprequest.args.get("ref")
        if code and getattr(request, "is_frontend", False):
            cls._fenxiao_capture_referral(code)
        return result

    @classmethod
    def _fenxiao_capture_referral(cls, code):
        """Remember a valid referral code and bind a signed-in shopper on visit.

        Anything that is not a code of an active distributor is ignored: a
        shopper following a stale or mangled link still gets the page.
        Returns the distributor, or an empty recordset.
        """
        Distributor = request.env["fenxiao.distributor"].sudo()
        distributor = Distributor._find_by_referral_code(code)
        if not distributor or distributor.state != "active":
            return Distributor
        company = distributor.company_id
        request.session[REFERRAL_KEY] = distributor.referral_code
        request.future_response.set_cookie(
            REFERRAL_KEY,
            distributor.referral_code,
            max_age=max(company.fenxiao_binding_days, 1) * 86400,
            httponly=True,
            samesite="Lax",
        )
        if not request.env.user._is_public():
            partner = request.env.user.partner_id.commercial_partner_id.sudo()
            partner._fenxiao_bind(distributor, "visit")
        return distributor

    @classmethod
    def _fenxiao_referral_code(cls):
        """The referral the shopper arrived with: this session's, else the cookie's."""
        code = request.session.get(REFERRAL_KEY) or request.httprequest.cookies.get(REFERRAL_KEY)
        if not code:
            return False
        distributor = request.env["fenxiao.distributor"].sudo()._find_by_referral_code(code)
        return distributor.referral_code or False
