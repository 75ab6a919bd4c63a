# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Fenxiao Rewards",
    "summary": "Rewards for a period's rank or for reaching a sales target: an amount or a rate "
    "paid through the commission ledger, or loyalty points",
    "version": "18.0.1.0.0",
    "category": "Sales/Distribution",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # fenxiao_ranking: the leaderboards decide ranks and period figures
    # fenxiao_commission: amounts are paid as ledger lines, settled with commission
    # loyalty: points go on the distributor's loyalty card
    "depends": ["fenxiao_ranking", "fenxiao_commission", "loyalty"],
    "data": [
        "security/ir.model.access.csv",
        "security/fenxiao_reward_security.xml",
        "data/ir_cron.xml",
        "views/fenxiao_reward_views.xml",
        "wizard/fenxiao_reward_grant_views.xml",
        "views/fenxiao_reward_menus.xml",
    ],
    "installable": True,
}
