from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestStockWatch(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"fenxiao_low_stock_threshold": 5, "fenxiao_out_of_stock": "unpublish"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "限量唇釉",
                "is_storable": True,
                "is_published": True,
                "sale_ok": True,
                "list_price": 129.0,
            }
        )
        cls.template = cls.product.product_tmpl_id
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.suppliers = cls.env.ref("stock.stock_location_suppliers")
        cls._move(cls.suppliers, cls.stock, 10)

    @classmethod
    def _move(cls, source, destination, quantity):
        move = cls.env["stock.move"].create(
            {
                "name": "move",
                "product_id": cls.product.id,
                "product_uom_qty": quantity,
                "product_uom": cls.product.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.quantity = quantity
        move.picked = True
        move._action_done()

    def _warnings(self):
        return self.template.activity_ids.filtered(lambda a: a.summary == "Low stock")

    def test_low_stock_warns_once(self):
        self._move(self.stock, self.customers, 4)
        self.assertFalse(self._warnings(), "6 left: not low yet")
        self._move(self.stock, self.customers, 3)
        self.assertEqual(len(self._warnings()), 1)
        self.assertIn("3", self._warnings().note)
        self._move(self.stock, self.customers, 1)
        self.assertEqual(len(self._warnings()), 1, "one to-do, not one per sale")

    def test_unpublished_at_zero_and_back_when_restocked(self):
        self._move(self.stock, self.customers, 10)
        self.assertFalse(self.template.is_published)
        self.assertTrue(self.template.fenxiao_auto_unpublished)
        self._move(self.suppliers, self.stock, 20)
        self.assertTrue(self.template.is_published)
        self.assertFalse(self.template.fenxiao_auto_unpublished)

    def test_sold_out_stays_on_the_shop(self):
        self.company.fenxiao_out_of_stock = "sold_out"
        self._move(self.stock, self.customers, 10)
        self.assertTrue(self.template.is_published)

    def test_a_product_unpublished_by_hand_stays_unpublished(self):
        self.template.is_published = False
        self._move(self.stock, self.customers, 10)
        self._move(self.suppliers, self.stock, 20)
        self.assertFalse(self.template.is_published)
