# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao on the Website Shop",
    "summary": "The distribution shop: mobile catalog, referral links and the distributor centre",
    "version": "18.0.1.0.0",
    "category": "Website/eCommerce",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # website_sale_stock: stock shown in the shop (and its demo must load before ours)
    # link_tracker: /r/<code> is its short-link route, which referral links share
    "depends": ["fenxiao", "website_sale_stock", "auth_signup", "link_tracker"],
    "data": [
        "data/website_sale_options.xml",
        "data/ir_cron_data.xml",
        "views/res_config_settings_views.xml",
        "views/website_sale_templates.xml",
    ],
    "demo": [
        "demo/website_demo.xml",
        "demo/product_public_category_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "website_sale_fenxiao/static/src/js/**/*",
        ],
        "web.assets_tests": [
            "website_sale_fenxiao/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
}
