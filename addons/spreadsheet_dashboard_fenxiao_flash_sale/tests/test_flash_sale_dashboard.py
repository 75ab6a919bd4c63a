import json

from odoo.tests import TransactionCase, tagged

from .. import uninstall_hook


@tagged("post_install", "-at_install")
class TestFlashSaleDashboard(TransactionCase):
    """spreadsheet_dashboard_fenxiao's tests check every model and field of
    whichever file the dashboard holds; these check which file that is."""

    def _pivots(self, dashboard):
        return json.loads(dashboard.spreadsheet_data)["pivots"].values()

    def test_the_dashboard_shows_what_each_flash_sale_sold(self):
        dashboard = self.env.ref("spreadsheet_dashboard_fenxiao.spreadsheet_dashboard_fenxiao")
        [flash] = [p for p in self._pivots(dashboard) if p["model"] == "fenxiao.flash.sale.report"]
        self.assertEqual(flash["rows"], [{"fieldName": "flash_sale_id"}])
        cells = json.loads(dashboard.spreadsheet_data)["sheets"][0]["cells"]
        self.assertTrue(any("Flash sales" in cell.get("content", "") for cell in cells.values()))

    def test_uninstalling_gives_back_the_dashboard_without_flash_sales(self):
        dashboard = self.env.ref("spreadsheet_dashboard_fenxiao.spreadsheet_dashboard_fenxiao")
        uninstall_hook(self.env)
        models = {p["model"] for p in self._pivots(dashboard)}
        self.assertNotIn("fenxiao.flash.sale.report", models)
        self.assertIn("fenxiao.sale.report", models)
