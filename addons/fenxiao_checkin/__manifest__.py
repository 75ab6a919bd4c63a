# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Daily Check-in",
    "summary": "Daily check-in (签到) on the portal: points on a loyalty card, a streak bonus",
    "version": "18.0.1.0.0",
    "category": "Website/eCommerce",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # website_sale_loyalty: the points are spent on the program's rewards at checkout
    # portal: the check-in card lives on /my
    "depends": ["website_sale_loyalty", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "views/fenxiao_checkin_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
    ],
    "installable": True,
}
