from odoo.tests import new_test_user, tagged

from .common import FlashSaleCase


@tagged("post_install", "-at_install")
class TestFlashSaleReport(FlashSaleCase):
    def test_confirmed_flash_lines_only_read_by_a_distribution_manager(self):
        sold = self._cart(self.shopper_a)
        self._add(sold, 2)
        sold.action_confirm()
        self._add(self._cart(self.shopper_b), 1)  # a cart: not sold
        self.env.flush_all()
        manager = new_test_user(
            self.env, "fx_flash_report", groups="base.group_user,fenxiao.group_fenxiao_manager"
        )
        Report = self.env["fenxiao.flash.sale.report"].with_user(manager)
        [row] = Report.search([("flash_sale_id", "=", self.sale.id)])
        self.assertEqual(row.order_id, sold)
        self.assertEqual(row.quantity, 2)
        self.assertAlmostEqual(row.price_subtotal, sold.order_line.price_subtotal)
        self.assertEqual(row.flash_sale_id.display_name, self.sale.display_name)
        [group] = Report.read_group(
            [("flash_sale_id", "=", self.sale.id)], ["quantity:sum"], ["flash_sale_id"]
        )
        self.assertEqual(group["quantity"], 2)
