# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Spreadsheet Dashboard for Distribution",
    "summary": "The distribution dashboard (分销看板): sales by distributor, tier and depth, "
    "commission, the referral funnel, top products and promotions",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # fenxiao_commission: the reports the dashboard reads (sales analysis,
    # referral funnel), the ledger and withdrawals
    "depends": ["spreadsheet_dashboard", "fenxiao_commission"],
    "data": [
        "data/dashboards.xml",
        "views/fenxiao_dashboard_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "spreadsheet_dashboard_fenxiao/static/tests/tours/**/*",
        ],
    },
    # Odoo's pattern (spreadsheet_dashboard_sale): installed with what it shows
    "auto_install": ["fenxiao_commission"],
    "installable": True,
}
