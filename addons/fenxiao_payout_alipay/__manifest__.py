# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Payouts by Alipay",
    "summary": "Pay distributors' withdrawals to their Alipay account (单笔转账到支付宝账户)",
    "version": "18.0.1.0.0",
    "category": "Sales/Distribution",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # payment_alipay: the merchant's Alipay app, whose keys sign the transfers
    "depends": ["fenxiao_commission", "payment_alipay"],
    "data": [
        "views/payment_provider_views.xml",
        "views/fenxiao_withdrawal_views.xml",
        "data/ir_cron_data.xml",
    ],
    "auto_install": True,
    "installable": True,
}
