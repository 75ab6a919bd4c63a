# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Payment Risk Monitoring",
    "summary": "Forged, mismatched or suspicious payment events, flagged for a manager",
    "version": "18.0.1.0.0",
    "category": "Accounting/Payment Providers",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # account_payment: the risk view sits beside the payment providers
    "depends": ["account_payment", "mail"],
    "data": [
        "security/ir.model.access.csv",
        "views/payment_risk_event_views.xml",
        "data/ir_cron_data.xml",
    ],
    "installable": True,
}
