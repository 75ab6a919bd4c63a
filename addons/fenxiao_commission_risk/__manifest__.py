# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Commission Risk",
    "summary": "Brushing (刷单) signals on commission: shared phone, address or payout account, "
    "quick refunds after settlement; the commission held until a manager lifts it",
    "version": "18.0.1.0.0",
    "category": "Sales/Distribution",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # The bridge between the ledger (which holds) and the risk events (which
    # a manager reviews): neither needs the other on its own.
    "depends": ["fenxiao_commission", "payment_risk"],
    "data": [
        "security/ir.model.access.csv",
        "security/payment_risk_event_rules.xml",
        "views/payment_risk_event_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "post_init_hook": "_post_init_hook",
    "auto_install": True,
    "installable": True,
}
