# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Logistics",
    "summary": "Parcels tracked with Kuaidi100 (快递100), the portal timeline, receipt confirmed "
    "by the shopper or automatically, commission frozen until receipt",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # fenxiao_commission: the after-sales window (commission freeze) starts at receipt.
    # stock_delivery: the tracking number is its carrier_tracking_ref.
    # website_sale: the shopper's order page (sale portal) shows the parcels.
    "depends": ["fenxiao_commission", "sale_stock", "stock_delivery", "website_sale"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/ir.model.access.csv",
        "data/fenxiao_parcel_carrier_data.xml",
        "data/ir_cron_data.xml",
        "views/fenxiao_parcel_carrier_views.xml",
        "views/stock_picking_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "fenxiao_logistics/static/src/js/parcel_copy.js",
        ],
        "web.assets_tests": [
            "fenxiao_logistics/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
