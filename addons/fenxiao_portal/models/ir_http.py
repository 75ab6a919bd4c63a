from odoo import models
from odoo.http import request

# where the website remembers a shopper's referral between visits
REFERRAL_KEY = "fenxiao_ref"
# the distributors whose link this browser session was counted a visit of
VISITED_KEY = "fenxiao_visited"
# a session that followed more links than this stops remembering the oldest
VISITED_MAX = 20


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, arguments):
        result = super()._pre_dispatch(rule, arguments)
        # ?ref=CODE on any page of the website: a distributor's shared link
        code = request.httprequest.args.get("ref")
        if code and getattr(request, "is_frontend", False):
            cls._fenxiao_capture_referral(code, landing_path=request.httprequest.path)
        return result

    @classmethod
    def _fenxiao_capture_referral(cls, code, landing_path=None):
        """Remember a valid referral code and bind a signed-in shopper on visit.

        Anything that is not a code of an active distributor is ignored: a
        shopper following a stale or mangled link still gets the page.
        Only the shopper's own visit binds (``_fenxiao_is_own_visit``): a link
        loaded by another page (an image, a frame, a script) is remembered as
        an anonymous visitor's is, and binds at the shopper's own next step
        (sign-up, first paid order).
        The visit is counted for the funnel (``_fenxiao_count_visit``).
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
        if not request.env.user._is_public() and cls._fenxiao_is_own_visit():
            partner = request.env.user.partner_id.commercial_partner_id.sudo()
            partner._fenxiao_bind(distributor, "visit")
        cls._fenxiao_count_visit(distributor, landing_path)
        return distributor

    @classmethod
    def _fenxiao_count_visit(cls, distributor, landing_path):
        """Count a visit of ``distributor``'s link, once per browser session.

        A reload, the back button or a second share of the same link in the
        same session is not a new visitor: the session remembers whose links
        it was counted for. A prefetch or an embedded load (an image, a
        frame) is no visit at all; browsers that send no Sec-Fetch headers
        (old WeChat webviews) are counted, or WeChat's visitors would be lost.
        """
        headers = request.httprequest.headers
        purpose = f"{headers.get('Sec-Purpose', '')} {headers.get('Purpose', '')}".lower()
        if "prefetch" in purpose or "prerender" in purpose:
            return
        if headers.get("Sec-Fetch-Mode", "navigate") != "navigate":
            return
        visited = list(request.session.get(VISITED_KEY) or [])
        if distributor.id in visited:
            return
        request.env["fenxiao.referral.visit"]._record(distributor, landing_path)
        request.session[VISITED_KEY] = (visited + [distributor.id])[-VISITED_MAX:]

    @classmethod
    def _fenxiao_is_own_visit(cls):
        """Whether the browser says this request opens a page the shopper
        navigated to (a link followed, an address typed): ``Sec-Fetch-Mode:
        navigate`` to a ``document``, and not a prefetch. An image, a frame or
        a script of another page, even of this website, says otherwise.

        Browsers that send no Sec-Fetch headers (old WeChat webviews, Safari
        before 16.4) cannot tell a visit from an embedded link: they are not
        taken as a visit. Their shopper keeps the referral in the session and
        the cookie, and is bound at sign-up or on the first paid order, as a
        visitor who was not signed in is.
        """
        headers = request.httprequest.headers
        purpose = f"{headers.get('Sec-Purpose', '')} {headers.get('Purpose', '')}".lower()
        return (
            headers.get("Sec-Fetch-Mode") == "navigate"
            and headers.get("Sec-Fetch-Dest") == "document"
            and "prefetch" not in purpose
            and "prerender" not in purpose
        )

    @classmethod
    def _fenxiao_referral_code(cls):
        """The referral the shopper arrived with: this session's, else the cookie's."""
        code = request.session.get(REFERRAL_KEY) or request.httprequest.cookies.get(REFERRAL_KEY)
        if not code:
            return False
        distributor = request.env["fenxiao.distributor"].sudo()._find_by_referral_code(code)
        return distributor.referral_code or False
