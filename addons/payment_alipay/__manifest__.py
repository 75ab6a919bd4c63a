# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Payment Provider: Alipay",
    "summary": "Alipay page and WAP pay, RSA2-verified notifications, query and refunds",
    "version": "18.0.1.1.0",
    "category": "Accounting/Payment Providers",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # payment_risk: forged or mismatched notifications are flagged for a manager
    "depends": ["payment", "payment_risk"],
    "external_dependencies": {"python": ["python-alipay-sdk"]},
    "data": [
        "views/payment_alipay_templates.xml",
        "views/payment_provider_views.xml",
        "data/payment_provider_data.xml",  # after the redirect form it refers to
    ],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
