# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Promotions",
    "summary": "Promotion templates on Odoo loyalty (满减, 每满减, category % off, 赠品) "
    "and a coupon for every new shopper",
    "version": "18.0.1.0.0",
    "category": "Sales/Distribution",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # website_sale_loyalty: the promotions apply in the shop's cart
    # fenxiao_commission: the commission base follows the discount
    # auth_phone_otp: shoppers sign up by phone and receive the welcome coupon
    "depends": ["website_sale_loyalty", "fenxiao_commission", "auth_phone_otp"],
    "data": [
        "security/ir.model.access.csv",
        "wizard/fenxiao_promotion_wizard_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "views/loyalty_program_views.xml",
        "views/fenxiao_promotion_menus.xml",
    ],
    "installable": True,
}
