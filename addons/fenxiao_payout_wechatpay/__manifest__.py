# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Payouts by WeChat Pay",
    "summary": "Pay distributors' withdrawals to their WeChat wallet (商家转账到零钱)",
    "version": "18.0.1.0.0",
    "category": "Sales/Distribution",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # fenxiao_portal: the distributor confirms the transfer from the
    # withdrawals page of their centre, inside WeChat
    "depends": ["fenxiao_commission", "fenxiao_portal", "payment_wechatpay"],
    "data": [
        "views/payment_provider_views.xml",
        "views/fenxiao_withdrawal_views.xml",
        "views/portal_templates.xml",
        "data/ir_cron_data.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "fenxiao_payout_wechatpay/static/src/js/wechatpay_transfer_confirm.js"
        ],
    },
    "auto_install": True,
    "installable": True,
}
