from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCartShare(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner = cls.env["res.partner"].create({"name": "分享者"})
        cls.distributor = cls.env["fenxiao.distributor"].create(
            {"partner_id": partner.id, "state": "active"}
        )
        cls.cream = cls.env.ref("fenxiao_demo.product_ys_cream").product_variant_id
        cls.mask = cls.env.ref("fenxiao_demo.product_ys_mask").product_variant_id

    def _add(self, product, quantity):
        self.make_jsonrpc_request(
            "/shop/cart/update_json", {"product_id": product.id, "add_qty": quantity}
        )

    def _shared_link(self):
        self.url_open(f"/r/{self.distributor.referral_code}")
        self._add(self.cream, 2)
        self._add(self.mask, 1)
        result = self.make_jsonrpc_request("/shop/cart/share", {})
        return result["url"].split("/shop/cart/shared/")[1]

    def test_recipient_gets_the_same_items_and_the_referral(self):
        # carts left in the database by anyone else do not count
        last_order = self.env["sale.order"].search([], order="id desc", limit=1).id
        token = self._shared_link()
        self.authenticate(None, None)  # someone else's phone
        self.opener.cookies.clear()
        response = self.url_open(f"/shop/cart/shared/{token}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.opener.cookies.get("fenxiao_ref"), self.distributor.referral_code)
        carts = self.env["sale.order"].search(
            [
                ("order_line.product_id", "=", self.cream.id),
                ("website_id", "!=", False),
                ("id", ">", last_order),
            ],
            order="id desc",
        )
        self.assertEqual(len(carts), 2, "the sharer's cart and the recipient's own")
        recipient = carts[0]
        self.assertEqual(
            {
                line.product_id: line.product_uom_qty
                for line in recipient.order_line
                if not line.is_reward_line
            },
            {self.cream: 2, self.mask: 1},
        )
        self.assertEqual(recipient.fenxiao_referral_code, self.distributor.referral_code)

    def test_shared_cart_loaded_by_another_page_binds_nobody(self):
        self.env.company.fenxiao_binding_event = "visit"
        shopper = new_test_user(self.env, "fx_cart_shopper", groups="base.group_portal")
        token = self._shared_link()
        self.authenticate("fx_cart_shopper", "fx_cart_shopper")
        image = {
            "Sec-Fetch-Mode": "no-cors",
            "Sec-Fetch-Dest": "image",
            "Sec-Fetch-Site": "cross-site",
        }
        self.url_open(f"/shop/cart/shared/{token}", headers=image)
        self.assertFalse(shopper.partner_id.fenxiao_distributor_id)
        navigation = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
        self.url_open(f"/shop/cart/shared/{token}", headers=navigation)
        self.assertEqual(shopper.partner_id.fenxiao_distributor_id, self.distributor)

    def test_forged_links_are_refused(self):
        token = self._shared_link()
        middle = len(token) // 2
        tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
        with mute_logger("odoo.http"):
            for bad in (tampered, "x" * 5000, "abc", token[:-8], "a.b.c"):
                with self.subTest(bad=bad[:20]):
                    response = self.url_open(f"/shop/cart/shared/{bad}")
                    self.assertIn(response.status_code, (400, 404))

    def test_empty_cart_cannot_be_shared(self):
        result = self.make_jsonrpc_request("/shop/cart/share", {})
        self.assertIn("error", result)

    def test_a_distributor_in_a_company_shares_with_their_own_referral(self):
        shop = self.env["res.partner"].create({"name": "分享商贸有限公司", "is_company": True})
        self.distributor.partner_id.parent_id = shop
        new_test_user(
            self.env,
            "fx_sharer",
            groups="base.group_portal",
            partner_id=self.distributor.partner_id.id,
        )
        self.authenticate("fx_sharer", "fx_sharer")
        self._add(self.cream, 1)
        token = self.make_jsonrpc_request("/shop/cart/share", {})["url"].split("/shared/")[1]
        self.authenticate(None, None)
        self.opener.cookies.clear()
        self.url_open(f"/shop/cart/shared/{token}")
        self.assertEqual(self.opener.cookies.get("fenxiao_ref"), self.distributor.referral_code)
