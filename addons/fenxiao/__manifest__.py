# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Distribution",
    "summary": "WeChat-commerce distribution (分销): distributors, teams and commissions",
    "version": "18.0.1.0.0",
    "category": "Sales/Distribution",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    "application": True,
    # sale_management and stock: distributors earn on sale orders of goods
    # shipped from stock; product_brand (OCA) organises the catalog by brand.
    # web_hierarchy: the network tree view. sale_async_emails (installed with
    # sale): its pending mail is where an order mail that failed waits for a retry.
    "depends": [
        "sale_management",
        "sale_async_emails",
        "stock",
        "product_brand",
        "web_hierarchy",
    ],
    "data": [
        # groups first: the rules, menus and views below refer to them
        "security/fenxiao_security.xml",
        "security/ir.model.access.csv",
        "security/fenxiao_rules.xml",
        "data/fenxiao_tier_data.xml",
        "data/fenxiao_review_data.xml",
        "views/fenxiao_distributor_views.xml",
        "views/fenxiao_tier_views.xml",
        "views/fenxiao_binding_views.xml",
        "views/fenxiao_referral_visit_views.xml",
        "views/fenxiao_review_views.xml",
        "views/res_config_settings_views.xml",
        "views/fenxiao_menus.xml",
    ],
    "installable": True,
}
