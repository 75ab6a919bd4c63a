# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Spreadsheet Dashboard for Distribution: Flash Sales",
    "summary": "What each flash sale (限时秒杀) sold, on the distribution dashboard",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # The distribution dashboard does not need the shop; once flash sales are
    # installed too, this glue gives it their table.
    "depends": ["spreadsheet_dashboard_fenxiao", "fenxiao_flash_sale"],
    "data": ["data/dashboards.xml"],
    "uninstall_hook": "uninstall_hook",
    "auto_install": True,
    "installable": True,
}
