# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Rankings",
    "summary": "Weekly and monthly leaderboards of distributors by sales, team sales and new "
    "paying customers, in the distributor centre and in the back office",
    "version": "18.0.1.0.0",
    "category": "Sales/Distribution",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # fenxiao_commission: an order counts from when it was paid (fenxiao_paid_date)
    # fenxiao_portal: the ranking is a page of the distributor centre
    "depends": ["fenxiao_commission", "fenxiao_portal"],
    "data": [
        "security/ir.model.access.csv",
        "wizard/fenxiao_ranking_board_views.xml",
        "views/fenxiao_ranking_menus.xml",
        "views/portal_templates.xml",
    ],
    "installable": True,
}
