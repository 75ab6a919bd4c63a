# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Payment Provider: WeChat Pay",
    "summary": "WeChat Pay API v3: Native QR, JSAPI in WeChat, H5 on phones; verified and "
    "decrypted notifications, query, close and refunds",
    "version": "18.0.1.1.0",
    "category": "Accounting/Payment Providers",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # auth_wechat: the shopper's openid for JSAPI pay inside WeChat
    # payment_risk: forged or mismatched notifications are flagged for a manager
    "depends": ["payment", "payment_risk", "auth_wechat"],
    "external_dependencies": {"python": ["wechatpayv3"]},
    "data": [
        "views/payment_wechatpay_templates.xml",
        "views/payment_provider_views.xml",
        "data/payment_provider_data.xml",  # after the redirect form it refers to
    ],
    "assets": {
        "web.assets_frontend": ["payment_wechatpay/static/src/js/wechatpay_checkout.js"],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
