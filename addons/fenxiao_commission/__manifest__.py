# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Commissions",
    "summary": "Commission on paid orders up the distributor chain, settled in the journals "
    "and withdrawn to WeChat, Alipay or a bank card",
    "version": "18.0.1.0.0",
    "category": "Sales/Distribution",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # sale_stock: commission is frozen until the after-sales window after
    # delivery has passed, and returns claw it back.
    # sale_loyalty: promotions and coupons lower the commission base.
    # delivery: shipping lines never earn commission.
    "depends": ["fenxiao", "sale_stock", "sale_loyalty", "delivery", "account_payment"],
    "external_dependencies": {"python": ["cryptography"]},
    "data": [
        "security/ir.model.access.csv",
        "security/fenxiao_commission_rules.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/fenxiao_commission_rule_data.xml",
        "views/fenxiao_commission_rule_views.xml",
        "views/fenxiao_commission_line_views.xml",
        "views/fenxiao_commission_settlement_views.xml",
        "views/fenxiao_withdrawal_views.xml",
        "views/fenxiao_income_tax_line_views.xml",
        "views/fenxiao_payout_account_views.xml",
        "views/fenxiao_distributor_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_line_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/fenxiao_commission_settle_views.xml",
        "wizard/fenxiao_withdrawal_reject_views.xml",
        "wizard/fenxiao_commission_statement_views.xml",
        "report/fenxiao_commission_statement_report.xml",
        "report/fenxiao_sale_report_views.xml",
        "report/fenxiao_funnel_report_views.xml",
        "views/fenxiao_commission_menus.xml",
    ],
    "post_init_hook": "_post_init_hook",
    "installable": True,
}
