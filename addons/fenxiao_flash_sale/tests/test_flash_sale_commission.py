from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestFlashSaleCommission(FenxiaoCommissionCase):
    def test_the_commission_base_is_the_flash_price(self):
        """A paid flash-sale order: 2 serums at 59 instead of 100, so a1 earns
        10% of 118 and a 5% of 118."""
        now = fields.Datetime.now()
        sale = self.env["fenxiao.flash.sale"].create(
            {
                "name": "秒杀精华",
                "product_id": self.p100.id,
                "price": 59.0,
                "date_start": now - timedelta(hours=1),
                "date_end": now + timedelta(hours=1),
                "quantity_cap": 10,
                "limit_per_shopper": 2,
            }
        )
        website = self.env["website"].search([], limit=1)
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "website_id": website.id}
        )
        order._cart_update(product_id=self.p100.id, add_qty=2)
        line = order.order_line
        self.assertEqual(line.fenxiao_flash_sale_id, sale)
        self.assertEqual(line.price_subtotal, 118.0)
        order.action_confirm()
        self._pay(order)
        ledger = self._ledger(order)
        self.assertEqual(ledger[(self.a1, 1, self.p100, "commission")], 11.8)
        self.assertEqual(ledger[(self.a, 2, self.p100, "commission")], 5.9)
        self.assertEqual(set(order.fenxiao_commission_line_ids.mapped("base_amount")), {118.0})
        self.assertEqual(sale.quantity_sold, 2)
