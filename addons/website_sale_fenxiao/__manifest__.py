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
    # fenxiao_commission: the distributor centre shows commission and withdrawals
    # website_sale_product_brand (OCA): the shop's brand filter
    # auth_phone_otp, auth_wechat: shoppers sign in by SMS code or WeChat; a
    # first sign-in binds them like a sign-up
    # website_sale_loyalty: promotions apply in the cart; the shop shows them as badges
    # payment_wechatpay, payment_alipay: how Chinese shoppers pay; the demo
    # shop has both in test mode against their local simulators
    "depends": [
        "fenxiao_commission",
        "website_sale_stock",
        "website_sale_product_brand",
        "website_sale_loyalty",
        "auth_signup",
        "auth_phone_otp",
        "auth_wechat",
        "link_tracker",
        "payment_wechatpay",
        "payment_alipay",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/res_config_settings_views.xml",
        "views/website_sale_templates.xml",
        "views/portal_templates.xml",
        "views/product_template_views.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "website_sale_fenxiao/static/src/js/**/*",
            "website_sale_fenxiao/static/src/scss/**/*",
        ],
        "web.assets_tests": [
            "website_sale_fenxiao/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "_fenxiao_approve_published_products",
    "auto_install": True,
    "installable": True,
}
