# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Demo: 云裳美妆",
    "summary": "The demo merchant: a Chinese cosmetics shop with its distributors, "
    "promotions and five weeks of trade",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # Every functional module of the suite: the demo shows them all at work.
    # They change nothing in how Odoo behaves until a merchant turns them on;
    # this module is the merchant who did (scripts/run and scripts/test
    # install it; Odoo's own tests run without it, see scripts/core_tests).
    "depends": [
        "website_sale_fenxiao",
        "fenxiao_portal",
        "fenxiao_payout_wechatpay",
        "fenxiao_logistics",
        "fenxiao_after_sales",
        "fenxiao_training",
        # the shop's live chat (客服) with its visitors; only the demo merchant
        # turns it on, the functional modules do not need it
        "website_livechat",
        "fenxiao_flash_sale",
    ],
    # All of it is demo data: installed in a database without demo data, the
    # module adds nothing.
    "demo": [
        "demo/res_company_demo.xml",
        "demo/res_users_demo.xml",
        "demo/product_catalog_demo.xml",
        # the catalog must exist before stock is counted
        "demo/stock_quant_demo.xml",
        "demo/fenxiao_network_demo.xml",
        "demo/fenxiao_commission_rule_demo.xml",
        "demo/payment_alipay_demo.xml",
        "demo/payment_wechatpay_demo.xml",
        "demo/fenxiao_payout_wechatpay_demo.xml",
        "demo/auth_phone_otp_demo.xml",
        # five weeks of paid orders, settlements and withdrawals
        "demo/fenxiao_commission_demo.xml",
        # parcels and their history on the newest shipped orders
        "demo/fenxiao_logistics_demo.xml",
        # 王芳's return request, on the order whose parcel is on its way
        "demo/fenxiao_after_sales_demo.xml",
        "demo/website_demo.xml",
        "demo/website_footer_demo.xml",
        # 在线客服: the live chat channel, its rules and the contact page
        "demo/im_livechat_channel_demo.xml",
        "demo/website_contactus_demo.xml",
        "demo/website_sale_share_demo.xml",
        "demo/website_sale_options_demo.xml",
        "demo/product_public_category_demo.xml",
        "demo/loyalty_program_demo.xml",
        # after the promotions: repeat orders take them; then the link visits
        "demo/fenxiao_funnel_demo.xml",
        # two courses on eLearning and the tier that requires one of them
        "demo/fenxiao_training_demo.xml",
        # a running flash sale and one tomorrow, on products no other tour buys
        "demo/fenxiao_flash_sale_demo.xml",
        # last: once the catalog is published
        "demo/product_review_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "fenxiao_demo/static/src/**/*",
        ],
        "web.assets_tests": [
            "fenxiao_demo/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
