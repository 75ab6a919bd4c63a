import io

from PIL import Image

from odoo.tests import HttpCase, tagged

from .test_route_sweep import CONVERTER_RE, suite_routes

# What a shopper or a distributor types where the shop shows it back: a name,
# an address, a reason, an account holder, a review.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# what must never reach a page as markup
UNESCAPED = (SCRIPT, "<img src=x onerror")
# how the script kind reads once escaped: proof that a page shows the text
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@tagged("post_install", "-at_install")
class TestStoredTextEscaped(HttpCase):
    """Hostile text stored on the records a page shows is escaped on every
    page that shows it, and the posters that print it still render."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(su=True)
        cls.lina = env.ref("fenxiao_demo.dist_lina")
        cls.shopper = env.ref("fenxiao_demo.partner_demo_shopper")
        # 李娜 in her own centre, on her posters and share card, and masked
        # in her upline's team list
        cls.lina.partner_id.name = f"李{SCRIPT}娜{IMG}"
        # a member of her team, shown to her masked
        member = env["fenxiao.distributor"].search(
            [("id", "child_of", cls.lina.id), ("id", "!=", cls.lina.id)], limit=1
        )
        member.partner_id.write({"name": f"{IMG}{SCRIPT}", "mobile": f"138{IMG}"})
        # the customer of one of her team's orders, masked on her orders page
        team_order = env["sale.order"].search(cls.lina._portal_orders_domain(), limit=1)
        team_order.partner_id.commercial_partner_id.name = f"{SCRIPT}顾客{IMG}"
        # her payout account's holder and bank
        env["fenxiao.payout.account"].create(
            {
                "distributor_id": cls.lina.id,
                "method": "bank",
                "holder_name": f"李{IMG}",
                "bank_name": f"{SCRIPT}银行",
                "account_number": "6222021234567890123",
            }
        )
        # 王芳's delivery address and her return request's reasons
        cls.order = env["sale.order"].search(
            [("partner_id", "=", cls.shopper.id), ("state", "=", "sale")], limit=1
        )
        address = env["res.partner"].create(
            {
                "parent_id": cls.shopper.id,
                "type": "delivery",
                "name": f"收货人{SCRIPT}",
                "street": f"{IMG}路1号",
                "city": f"上海{SCRIPT}",
            }
        )
        cls.order.partner_shipping_id = address
        cls.rma = env["rma"].search([("partner_id", "child_of", cls.shopper.id)], limit=1)
        cls.rma.write(
            {
                "description": f"<p>{SCRIPT}{IMG}</p>",
                # the shop asks for more: the page shows the question
                "fenxiao_review": "need_info",
                "fenxiao_info_request": f"请补充照片{SCRIPT}",
                "fenxiao_reject_reason": f"{IMG}",
            }
        )
        # a review on a product of the shop, as the shopper would post it
        cls.product = cls.order.order_line.product_id.product_tmpl_id[:1]
        cls.product.with_user(env.ref("fenxiao_demo.user_demo_shopper")).sudo().message_post(
            body=f"很好用{SCRIPT}{IMG}", message_type="comment"
        )
        cls.env.flush_all()

    def _assert_escaped(self, path, status=(200,)):
        response = self.url_open(path, timeout=60)
        self.assertIn(response.status_code, status, path)
        for marker in UNESCAPED:
            self.assertNotIn(marker, response.text, f"{path} shows {marker!r} as markup")
        return response

    def _assert_png(self, path):
        response = self.url_open(path, timeout=60)
        self.assertEqual(response.status_code, 200, path)
        self.assertEqual(response.headers["Content-Type"], "image/png", path)
        image = Image.open(io.BytesIO(response.content))
        image.verify()
        self.assertEqual(image.format, "PNG")

    def _pages_without_arguments(self):
        """Every GET page of the suite that takes nothing in its path."""
        return sorted(
            rule
            for rule, routing, __ in suite_routes(self.env)
            if routing["type"] == "http"
            and "GET" in (routing["methods"] or ["GET"])
            and not CONVERTER_RE.search(rule)
            and not rule.endswith(".png")
        )

    def test_distributor_pages_escape_stored_text(self):
        self.authenticate("distributor", "distributor")
        pages = self._pages_without_arguments()
        self.assertIn("/my/fenxiao/team", pages)
        for path in pages:
            self._assert_escaped(path, status=(200, 303, 400, 404))
        for path in (
            "/my",
            "/my/fenxiao",
            "/my/fenxiao/team",
            "/my/fenxiao/orders",
            "/my/fenxiao/invite",
            "/my/fenxiao/withdraw",
            f"/r/{self.lina.referral_code}",
            self.product.website_url,
        ):
            self._assert_escaped(path)
        # the pages do show the hostile text, escaped: her name on the poster
        # page, the bank of her payout account on the withdraw page
        for path in ("/my/fenxiao/invite", "/my/fenxiao/withdraw"):
            self.assertIn(ESCAPED, self._assert_escaped(path).text, path)
        self._assert_png("/my/fenxiao/invite/poster.png")
        self._assert_png(f"/shop/fenxiao/poster/{self.product.id}.png")

    def test_shopper_pages_escape_stored_text(self):
        self.authenticate("shopper", "shopper")
        for path in self._pages_without_arguments():
            self._assert_escaped(path, status=(200, 303, 400, 404))
        for path in (
            "/my",
            f"/my/orders/{self.order.id}",
            "/my/after_sales",
            f"/my/after_sales/{self.rma.id}",
            f"/my/orders/{self.order.id}/after_sales",
            "/my/account",
            self.product.website_url,
            f"/r/{self.lina.referral_code}",
        ):
            self._assert_escaped(path)
        # the pages do show the hostile text, escaped: the delivery address on
        # the order, what the shop asked for on the return request
        for path in (f"/my/orders/{self.order.id}", f"/my/after_sales/{self.rma.id}"):
            self.assertIn(ESCAPED, self._assert_escaped(path).text, path)
