# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Flash Sales",
    "summary": "限时秒杀: a product at a price for a time window, with a countdown, "
    "a per-shopper limit and a quantity cap that holds under concurrency",
    "version": "18.0.1.1.0",
    "category": "Website/eCommerce",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # website_sale_fenxiao: the suite's shop (and, through fenxiao, the
    # commission whose base is the line's subtotal, hence the flash price);
    # its unpaid-payment hook cancels the order, which gives the units back
    "depends": ["website_sale_fenxiao", "fenxiao_commission"],
    "data": [
        "security/ir.model.access.csv",
        "security/fenxiao_flash_sale_security.xml",
        "data/ir_cron_data.xml",
        "views/fenxiao_flash_sale_views.xml",
        "views/fenxiao_flash_sale_reservation_views.xml",
        "report/fenxiao_flash_sale_report_views.xml",
        # the menus point at the actions of the views above
        "views/fenxiao_flash_sale_menus.xml",
        "views/website_sale_templates.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "fenxiao_flash_sale/static/src/js/flash_sale_countdown.js",
            "fenxiao_flash_sale/static/src/scss/flash_sale.scss",
        ],
    },
    "installable": True,
}
