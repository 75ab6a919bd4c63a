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
    "depends": ["sale_management", "stock", "product_brand"],
    "data": [
        # groups first: the menus and views below refer to them
        "security/fenxiao_security.xml",
        "views/res_config_settings_views.xml",
        "views/fenxiao_menus.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/res_users_demo.xml",
        "demo/product_catalog_demo.xml",
        # the catalog must exist before stock is counted
        "demo/stock_quant_demo.xml",
    ],
    "installable": True,
}
