from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

REVIEW_ACTIVITY = "website_sale_fenxiao.mail_activity_type_product_review"


@tagged("post_install", "-at_install")
class TestProductReview(TransactionCase):
    """With review on, a product goes on the shop once a sales manager has
    approved its images, description and price, and leaves it when someone
    else changes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"fenxiao_product_review": True, "fenxiao_out_of_stock": "unpublish"})
        cls.manager = new_test_user(
            cls.env,
            "fx_review_manager",
            groups="base.group_user,sales_team.group_sale_manager",
            name="运营总监 王经理",
        )
        # warehouse staff: may edit products, may not approve them
        cls.editor = new_test_user(
            cls.env,
            "fx_review_editor",
            groups="base.group_user,stock.group_stock_manager",
            name="商品专员 小周",
        )
        cls.Template = cls.env["product.template"]
        cls.serum = cls.Template.create(
            {
                "name": "烟酰胺亮白精华 30ml",
                "list_price": 299.0,
                "is_published": True,
                "is_storable": True,
            }
        )

    def _activities(self, product):
        return product.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(REVIEW_ACTIVITY)
        )

    def _reject(self, product, reason):
        wizard = Form(
            self.env["fenxiao.product.review.reject"]
            .with_user(self.manager)
            .with_context(default_product_tmpl_ids=product.ids)
        )
        wizard.reason = reason
        wizard.save().action_reject()

    def test_install_counts_published_products_as_approved(self):
        self.assertFalse(
            self.Template.search_count(
                [("is_published", "=", True), ("fenxiao_review_state", "!=", "approved")]
            )
        )
        self.assertEqual(self.serum.fenxiao_review_state, "approved", "published by a manager")

    def test_demo_products_wait_for_the_manager(self):
        waiting = self.env.ref("fenxiao_demo.product_ys_niacinamide_serum") | self.env.ref(
            "fenxiao_demo.product_qmy_clay"
        )
        self.assertEqual(set(waiting.mapped("fenxiao_review_state")), {"to_review"})
        self.assertFalse(any(waiting.mapped("is_published")))
        self.assertEqual(len(self._activities(waiting)), 2)

    def test_variants_created_published_or_not(self):
        Product = self.env["product.product"]
        published = Product.create({"name": "爆款面膜", "is_published": True})
        self.assertEqual(published.product_tmpl_id.fenxiao_review_state, "approved")
        draft = Product.with_user(self.editor).create({"name": "新品面膜"})
        self.assertEqual(draft.product_tmpl_id.fenxiao_review_state, "draft")
        with self.assertRaises(ValidationError):
            Product.with_user(self.editor).create({"name": "直接上架", "is_published": True})

    def test_new_product_waits_for_approval(self):
        product = self.Template.with_user(self.editor).create(
            {"name": "玫瑰保湿喷雾", "list_price": 89.0}
        )
        self.assertEqual(product.fenxiao_review_state, "draft")
        with self.assertRaises(ValidationError):
            product.write({"is_published": True})
        with self.assertRaises(ValidationError):
            self.Template.with_user(self.editor).create({"name": "直接上架", "is_published": True})
        product.action_fenxiao_submit_review()
        self.assertEqual(product.fenxiao_review_state, "to_review")
        self.assertEqual(product.fenxiao_review_requested_uid, self.editor)
        activity = self._activities(product)
        self.assertEqual(len(activity), 1)
        self.assertTrue(activity.user_id.has_group("sales_team.group_sale_manager"))
        with self.assertRaises(AccessError):
            product.action_fenxiao_approve()
        with self.assertRaises(ValidationError):
            product.write({"is_published": True})
        product.with_user(self.manager).action_fenxiao_approve()
        self.assertEqual(product.fenxiao_review_state, "approved")
        self.assertFalse(self._activities(product), "the review to-do is done")
        product.write({"is_published": True})
        self.assertTrue(product.is_published)

    def test_changes_by_others_send_it_back_until_approved(self):
        stock = self.env.ref("stock.stock_location_stock")
        self.env["stock.quant"]._update_available_quantity(self.serum.product_variant_id, stock, 9)
        serum = self.serum.with_user(self.editor)
        serum.write({"list_price": 299.0, "name": "烟酰胺亮白精华 30ml"})
        self.assertEqual(serum.fenxiao_review_state, "approved", "nothing changed")
        serum.write({"list_price": 199.0})
        self.assertEqual(serum.fenxiao_review_state, "to_review")
        self.assertFalse(serum.is_published, "off the shop until approved")
        self.assertTrue(serum.fenxiao_review_unpublished)
        serum.write({"description_sale": "淡化痘印"})
        self.assertEqual(len(self._activities(serum)), 1, "one to-do per product")
        self._reject(serum, "价格低于品牌限价")
        self.assertEqual(serum.fenxiao_review_state, "rejected")
        self.assertEqual(serum.fenxiao_review_note, "价格低于品牌限价")
        self.assertIn("价格低于品牌限价", serum.message_ids[0].body)
        todo = serum.activity_ids.filtered(lambda a: a.user_id == self.editor)
        self.assertIn("价格低于品牌限价", todo.summary, "the submitter is told why")
        self.assertFalse(serum.is_published)
        serum.write({"list_price": 259.0})
        serum.action_fenxiao_submit_review()
        self.serum.with_user(self.manager).action_fenxiao_approve()
        self.assertTrue(serum.is_published, "back on the shop once approved")
        self.assertEqual(serum.fenxiao_review_state, "approved")
        self.assertFalse(serum.fenxiao_review_unpublished)
        # approved while out of stock: the stock setting keeps it off the shop
        serum.write({"list_price": 249.0})
        self.env["stock.quant"]._update_available_quantity(self.serum.product_variant_id, stock, -9)
        self.serum.invalidate_recordset(["qty_available"])
        self.serum.with_user(self.manager).action_fenxiao_approve()
        self.assertFalse(serum.is_published)
        self.assertTrue(serum.fenxiao_auto_unpublished, "back when restocked")

    def test_managers_changes_and_shop_without_review(self):
        self.serum.with_user(self.manager).write({"list_price": 279.0})
        self.assertEqual(self.serum.fenxiao_review_state, "approved")
        self.assertTrue(self.serum.is_published)
        self.company.fenxiao_product_review = False
        product = self.Template.with_user(self.editor).create({"name": "卸妆油"})
        product.write({"is_published": True})
        self.assertEqual(product.fenxiao_review_state, "approved", "publishing is approving")
        product.write({"list_price": 1.0})
        self.assertTrue(product.is_published)

    def test_rejecting_needs_a_manager(self):
        self.serum.with_user(self.editor).write({"list_price": 199.0})
        with self.assertRaises(AccessError):
            self.serum.with_user(self.editor).action_fenxiao_reject()
        with self.assertRaises(AccessError):
            self.env["fenxiao.product.review.reject"].with_user(self.editor).create(
                {"product_tmpl_ids": self.serum.ids, "reason": "x"}
            )
        self.assertEqual(self.serum.fenxiao_review_state, "to_review")
        # nor can they approve by writing the state themselves
        for vals in (
            {"fenxiao_review_state": "approved"},
            {"fenxiao_review_state": "approved", "is_published": True},
            {"fenxiao_review_unpublished": False},
        ):
            with self.assertRaises(AccessError):
                self.serum.with_user(self.editor).write(vals)
        with self.assertRaises(AccessError):
            self.Template.with_user(self.editor).create(
                {"name": "自批上架", "fenxiao_review_state": "approved", "is_published": True}
            )
        self.assertEqual(self.serum.fenxiao_review_state, "to_review")

    def test_restocking_does_not_republish_what_waits_for_approval(self):
        stock = self.env.ref("stock.stock_location_stock")
        product = self.serum.product_variant_id
        self.serum._fenxiao_watch_stock()
        self.assertTrue(self.serum.fenxiao_auto_unpublished, "no stock: off the shop")
        self.serum.with_user(self.editor).write({"list_price": 199.0})
        self.assertEqual(self.serum.fenxiao_review_state, "to_review")
        self.assertFalse(self.serum.fenxiao_auto_unpublished)
        self.env["stock.quant"]._update_available_quantity(product, stock, 50)
        self.serum.invalidate_recordset(["qty_available"])
        self.serum._fenxiao_watch_stock()
        self.assertFalse(self.serum.is_published, "restocked, but not approved")
        self.serum.with_user(self.manager).action_fenxiao_approve()
        self.assertTrue(self.serum.is_published)

    def test_shoppers_read_no_review_of_the_back_office(self):
        shopper = new_test_user(self.env, "fx_review_shopper", groups="base.group_portal")
        product = self.env["product.template"].search([("sale_ok", "=", True)], limit=1)
        product.sudo().write(
            {"fenxiao_review_note": "供货价有误", "fenxiao_review_requested_uid": self.editor.id}
        )
        for field in ("fenxiao_review_note", "fenxiao_review_requested_uid"):
            with self.assertRaises(AccessError):
                product.with_user(shopper).read([field])
        self.assertEqual(product.with_user(self.manager).fenxiao_review_note, "供货价有误")
