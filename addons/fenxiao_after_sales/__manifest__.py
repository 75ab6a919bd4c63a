# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Fenxiao After-sales",
    "summary": "Refund only, return and refund, exchange: asked from the shopper's phone, "
    "reviewed in the back office, refunded through the provider that was paid",
    "version": "18.0.1.0.0",
    "category": "Sales/Distribution",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    # AGPL-3 because it extends OCA's rma (AGPL-3).
    "license": "AGPL-3",
    # rma_sale: requests on sale order lines, receptions and replacements.
    # fenxiao_commission: refunds and returns claw commission back.
    # website_sale: the shopper's portal pages in the shop's layout.
    # fenxiao_logistics: when the goods were received, and the return parcel
    # followed like any parcel (Kuaidi100).
    "depends": ["rma_sale", "fenxiao_commission", "fenxiao_logistics", "website_sale"],
    "data": [
        "security/ir.model.access.csv",
        "security/fenxiao_after_sales_security.xml",
        "data/rma_operation_data.xml",
        "data/fenxiao_after_sales_reason_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/fenxiao_after_sales_reason_views.xml",
        "views/rma_operation_views.xml",
        "wizard/fenxiao_after_sales_review_views.xml",
        "views/rma_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "views/fenxiao_after_sales_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "fenxiao_after_sales/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
