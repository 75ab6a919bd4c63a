from odoo.tests import HttpCase, tagged

from .payment_simulators import start_wechatpay


@tagged("post_install", "-at_install")
class TestFlashSaleJourney(HttpCase):
    """王芳 buys in the demo's flash sale on her phone and pays with WeChat Pay."""

    browser_size = "375x667"
    touch_enabled = True

    def test_buy_in_a_flash_sale_on_a_phone(self):
        start_wechatpay(self)
        shopper = self.env.ref("fenxiao_demo.user_demo_shopper")
        sale = self.env.ref("fenxiao_demo.flash_sale_concealer")
        taken = sale.quantity_reserved
        self.start_tour("/shop", "fenxiao_demo_flash_sale", login="shopper")
        order = self.env["sale.order"].search(
            [("partner_id", "=", shopper.partner_id.id), ("state", "=", "sale")],
            order="id desc",
            limit=1,
        )
        line = order.order_line.filtered(lambda line: line.product_id == sale.product_id)
        self.assertEqual(line.fenxiao_flash_sale_id, sale)
        self.assertEqual((line.product_uom_qty, line.price_unit), (1, 59.0))
        self.assertEqual(order.transaction_ids.state, "done")
        reservation = line.fenxiao_flash_reservation_ids
        self.assertEqual(reservation.state, "sold", "paid: the unit is sold")
        sale.invalidate_recordset()
        self.assertEqual(sale.quantity_reserved, taken + 1)
