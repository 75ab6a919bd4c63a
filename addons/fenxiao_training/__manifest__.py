# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Training",
    "summary": "Courses on Odoo eLearning that a tier can require, and the distributor's "
    "progress in the centre",
    "version": "18.0.1.0.0",
    "category": "Sales/Distribution",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # website_slides: the courses and who completed them (slide.channel.partner)
    # fenxiao_portal: the centre's overview shows the courses of the next tier
    # fenxiao_ranking: the tour walks from the centre's 排行榜 to a course
    "depends": ["fenxiao_portal", "fenxiao_ranking", "website_slides"],
    "data": [
        "views/fenxiao_tier_views.xml",
        "views/portal_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "fenxiao_training/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
