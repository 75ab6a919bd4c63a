import io
import re

from PIL import Image

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase

from ..models.fenxiao_poster import POSTER_SIZE, PRODUCT_QR_SIDE
from .test_posters import read_qr


@tagged("post_install", "-at_install")
class TestShareAndEarn(FenxiaoCommissionCase, HttpCase):
    """On a product page a distributor sees what they would earn, their own
    link to the product and its poster; nobody else does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.serum = cls.p100.product_tmpl_id
        cls.serum.is_published = True
        cls.mask = cls.p50.product_tmpl_id
        cls.mask.is_published = False
        new_test_user(cls.env, "fx_share_shopper", groups="base.group_portal")

    def _page(self, template):
        response = self.url_open(template.website_url)
        self.assertEqual(response.status_code, 200)
        return response.text

    def _poster(self, template, query=""):
        return self.url_open(f"/shop/fenxiao/poster/{template.id}.png{query}")

    def test_distributor_sees_estimate_link_and_poster(self):
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        html = self._page(self.serum)
        amount = re.search(
            r'o_fenxiao_share_earn_amount.*?oe_currency_value">([\d.,]+)<', html, re.S
        )
        self.assertEqual(amount and amount.group(1), "10.00", "10% of 100.00 at level 1")
        base_url = self.serum.get_base_url()
        share_url = f"{base_url}{self.serum.website_url}?ref={self.a1.referral_code}"
        self.assertIn(f'value="{share_url}"', html)
        self.assertIn(f"/shop/fenxiao/poster/{self.serum.id}.png", html)

        response = self._poster(self.serum, "?download=1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertIn(self.a1.referral_code, response.headers["Content-Disposition"])
        poster = Image.open(io.BytesIO(response.content))
        self.assertEqual(poster.size, POSTER_SIZE)
        # the code at the bottom right opens the product with a1's referral
        qr_width = self.env["fenxiao.poster"]._qr_image(share_url, PRODUCT_QR_SIDE).width
        left = POSTER_SIZE[0] - 40 - qr_width
        top = POSTER_SIZE[1] - PRODUCT_QR_SIDE - 70
        self.assertEqual(read_qr(poster, share_url, left, top, PRODUCT_QR_SIDE), 1.0)
        other_url = share_url.replace(self.a1.referral_code, self.b.referral_code)
        self.assertLess(read_qr(poster, other_url, left, top, PRODUCT_QR_SIDE), 0.95)

    def test_no_poster_of_what_a_visitor_cannot_see(self):
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        self.assertEqual(self._poster(self.mask).status_code, 404, "unpublished")
        self.assertEqual(self.url_open("/shop/fenxiao/poster/987654321.png").status_code, 404)
        self.assertEqual(self.url_open("/shop/fenxiao/poster/abc.png").status_code, 404)
        self.assertEqual(
            self.url_open("/shop/fenxiao/poster/" + "9" * 30 + ".png").status_code, 404
        )

    def test_nothing_for_shoppers_suspended_distributors_and_visitors(self):
        self.authenticate("fx_share_shopper", "fx_share_shopper")
        self.assertNotIn("o_fenxiao_share_earn", self._page(self.serum))
        self.assertEqual(self._poster(self.serum).status_code, 404)
        self.a1.action_suspend("测试")
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        self.assertNotIn("o_fenxiao_share_earn", self._page(self.serum))
        self.assertEqual(self._poster(self.serum).status_code, 404)
        self.authenticate(None, None)
        self.assertNotIn("o_fenxiao_share_earn", self._page(self.serum))
        self.assertIn("/web/login", self._poster(self.serum).url)
