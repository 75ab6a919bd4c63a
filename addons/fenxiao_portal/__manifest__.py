# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Distributor Centre",
    "summary": "The distributor centre (分销中心) on the website: referral links, "
    "team, orders, commission, withdrawals, posters and shared carts",
    "version": "18.0.1.0.0",
    "category": "Website/eCommerce",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # fenxiao_commission: the centre shows commission and withdrawals
    # website_sale: product pages and carts are shared with a referral
    # link_tracker: /r/<code> is its short-link route, which referral links share
    # auth_phone_otp, auth_wechat: shoppers sign in by SMS code or WeChat; a
    # first sign-in binds them like a sign-up
    "depends": [
        "fenxiao_commission",
        "website_sale",
        "auth_signup",
        "auth_phone_otp",
        "auth_wechat",
        "link_tracker",
    ],
    "data": [
        "views/portal_templates.xml",
        "views/website_sale_templates.xml",
        "views/wechat_share_templates.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "fenxiao_portal/static/src/js/**/*",
            "fenxiao_portal/static/src/scss/**/*",
        ],
    },
    # the bridge between the distribution app and the website: installed
    # with the two of them (and then brings the Chinese sign-in methods)
    "auto_install": ["fenxiao_commission", "website_sale"],
    "installable": True,
}
