from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.http import request

from odoo.addons.fenxiao.models.fenxiao_distributor import mask_name
from odoo.addons.fenxiao.tools.params import parse_text
from odoo.addons.fenxiao_portal.controllers.portal import FenxiaoDistributorCentre

from ..models.fenxiao_distributor import METRICS, MONEY_METRICS, PERIOD_KINDS

TOP = 50


class FenxiaoRankingCentre(FenxiaoDistributorCentre):
    """排行榜: the leaderboards in the distributor centre.

    The page takes no id: the reader is the signed-in distributor, the board
    is their company's, and everyone else on it is a masked name.
    """

    @staticmethod
    def _fenxiao_choice(value, name, choices):
        """One of ``choices``; the first when absent, a 400 for anything else."""
        value = parse_text(value, name, max_length=32)
        if not value:
            return choices[0]
        if value not in choices:
            raise BadRequest(request.env._("The parameter “%(name)s” is not valid.", name=name))
        return value

    @staticmethod
    def _fenxiao_count_label(count):
        return request.env._("%(count)s customers", count=count)

    @http.route("/my/fenxiao/ranking", type="http", auth="user", website=True)
    def fenxiao_ranking(self, period="week", metric="sales", **kw):
        distributor, redirect = self._fenxiao_active_or_redirect()
        if redirect:
            return redirect
        period = self._fenxiao_choice(period, "period", PERIOD_KINDS)
        metric = self._fenxiao_choice(metric, "metric", METRICS)
        company = distributor.company_id.sudo()
        # sudo: the board reads every distributor's orders; the page shows
        # the reader's own row and masked names only
        board = (
            request.env["fenxiao.distributor"]
            .sudo()
            ._fenxiao_leaderboard(
                company,
                metric,
                period,
                company._fenxiao_today(),
                limit=TOP,
                distributor=distributor,
            )
        )
        money = metric in MONEY_METRICS
        rows = [
            {
                "rank": row["rank"],
                "name": distributor.name
                if row["distributor"] == distributor
                else mask_name(row["distributor"].name),
                "me": row["distributor"] == distributor,
                "value": row["value"],
                "count": not money and self._fenxiao_count_label(row["value"]),
            }
            for row in board["rows"]
        ]
        own = board["own"]
        env = request.env
        return request.render(
            "fenxiao_ranking.portal_fenxiao_ranking",
            self._fenxiao_values(
                distributor,
                "fenxiao_ranking",
                rows=rows,
                own=own,
                own_label=own
                and env._("Your rank: No. %(rank)s", rank=own["rank"])
                or env._("You are not ranked yet in this period."),
                own_count=own and not money and self._fenxiao_count_label(own["value"]),
                ranked_label=board["total"]
                and env._("%(count)s distributors ranked", count=board["total"]),
                period=period,
                metric=metric,
                money=money,
                date_from=board["date_from"],
                date_to=board["date_to"],
                period_labels={
                    "week": env._("This week"),
                    "month": env._("This month"),
                },
                metric_labels={
                    "sales": env._("Sales"),
                    "team_sales": env._("Team sales"),
                    "new_customers": env._("New customers"),
                },
            ),
        )
