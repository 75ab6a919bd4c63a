# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Shop Extras",
    "summary": "The shop a Chinese merchant expects: best sellers, promotion badges, "
    "product review, stock watch, unpaid orders closed in time",
    "version": "18.0.1.0.0",
    "category": "Website/eCommerce",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # fenxiao: the settings live on the 分销 settings page
    # website_sale_stock: stock shown in the shop, watched here
    # website_sale_product_brand (OCA): the shop's brand filter, whose
    # parameters the shop checks
    # website_sale_loyalty: promotions apply in the cart; the shop shows them as badges
    # payment_risk: the providers' hook for a payment that expired unpaid,
    # whose order is then cancelled
    "depends": [
        "fenxiao",
        "website_sale_stock",
        "website_sale_product_brand",
        "website_sale_loyalty",
        "payment_risk",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/res_config_settings_views.xml",
        "views/website_sale_templates.xml",
        "views/product_template_views.xml",
    ],
    "assets": {
        # a font choice without a web font, for shops in China
        "web._assets_primary_variables": [
            "website_sale_fenxiao/static/src/scss_variables/primary_variables.scss",
        ],
        "web.assets_frontend": [
            "website_sale_fenxiao/static/src/scss/**/*",
        ],
    },
    "post_init_hook": "_fenxiao_approve_published_products",
    "installable": True,
}
