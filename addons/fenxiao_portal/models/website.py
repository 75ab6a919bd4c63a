from werkzeug.urls import url_quote

from odoo import models
from odoo.http import request
from odoo.tools import html2plaintext

from odoo.addons.auth_wechat.const import WECHAT_BROWSER_MARK


class Website(models.Model):
    _inherit = "website"

    def _prepare_sale_order_values(self, partner_sudo):
        # The cart keeps the referral, for binding on the first paid order.
        values = super()._prepare_sale_order_values(partner_sudo)
        code = self.env["ir.http"]._fenxiao_referral_code()
        if code:
            values["fenxiao_referral_code"] = code
        return values

    def _fenxiao_sharing_distributor(self):
        """The signed-in user's distributor if they earn on what they share."""
        if self.env.user._is_public():
            return None
        distributor = self.env.user.partner_id.sudo().fenxiao_self_distributor_id
        return distributor if distributor.state == "active" else None

    def _fenxiao_wechat_share(self, product=None, invite_url=None):
        """How the page is shared from WeChat's browser (the share card, see
        ``_fenxiao_share_card``) and the ``wx.config`` that lets it say so:
        for a product page, the shop and a distributor's invitation, opened in
        WeChat on a shop whose official account is set up. Otherwise None:
        the page is left as it is."""
        self.ensure_one()
        httprequest = request and request.httprequest
        if not httprequest or WECHAT_BROWSER_MARK not in (httprequest.user_agent.string or ""):
            return None
        path = httprequest.path
        is_shop = path.rstrip("/").split("/")[-1] == "shop" or path.startswith("/shop/page/")
        if not (product or invite_url or is_shop):
            return None
        config = self.env["auth.wechat.identity"].sudo()._wechat_jssdk_config(httprequest.url)
        if not config:
            return None
        return {"config": config, "share": self._fenxiao_share_card(product, invite_url)}

    def _fenxiao_share_card(self, product=None, invite_url=None):
        """The card a friend sees in a WeChat chat when the page is shared:
        title, description, absolute image and link (with the sharing
        distributor's ref), for a product, a distributor's invitation or the
        shop. The invitation page previews it to the distributor."""
        self.ensure_one()
        base_url = self.get_base_url()
        distributor = self._fenxiao_sharing_distributor()
        ref = f"?ref={url_quote(distributor.referral_code)}" if distributor else ""
        logo = f"{base_url}/web/image/website/{self.id}/logo"
        if invite_url:
            return {
                "title": self.env._("Join me on %s", self.name),
                "desc": self.env._("Sign up with my invitation, shop and share to earn."),
                "link": invite_url,
                "imgUrl": logo,
            }
        if product and product._name == "product.template":
            return {
                "title": product.name,
                "desc": html2plaintext(product.description_sale or "") or self.name,
                "link": f"{base_url}{product.website_url}{ref}",
                "imgUrl": f"{base_url}/web/image/product.template/{product.id}/image_512",
            }
        return {
            "title": self.name,
            "desc": self.env._("Tap to shop %s in WeChat.", self.name),
            "link": f"{base_url}/shop{ref}",
            "imgUrl": logo,
        }
