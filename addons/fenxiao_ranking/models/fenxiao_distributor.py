from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

# What a leaderboard ranks by, and over which calendar period.
METRICS = ("sales", "team_sales", "new_customers")
MONEY_METRICS = ("sales", "team_sales")
PERIOD_KINDS = ("week", "month")

# The credited, paid orders of a period: confirmed (``state = 'sale'``: Odoo 18
# has no ``done`` state, a locked order stays ``sale``) with their payment
# date in [start, end). Amounts are brought back to the company currency as
# ``team_sales`` does: an order's ``currency_rate`` converts the company
# currency into the order's.
_PAID_ORDERS = """
    SELECT o.id, o.fenxiao_distributor_id AS distributor_id, o.partner_id,
           o.fenxiao_paid_date AS paid_date,
           o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1) AS amount
      FROM sale_order o
     WHERE o.state = 'sale'
       AND o.fenxiao_distributor_id IS NOT NULL
       AND o.fenxiao_paid_date >= %(start)s
       AND o.fenxiao_paid_date < %(end)s
"""

# {metric: CTEs on ``paid`` that end with ``score (distributor_id, value)``}
_SCORES = {
    # what each distributor was credited with
    "sales": """
        score AS (
            SELECT distributor_id, ROUND(SUM(amount), %(digits)s) AS value
              FROM paid
             GROUP BY distributor_id
        )
    """,
    # the same over each distributor's whole team (themselves and everyone
    # below, all levels, as fenxiao's ``team_sales``): every seller's sales go
    # to each distributor on their parent_path, read from the path itself, so
    # the work grows with the sellers of the period, not with the network.
    "team_sales": """
        seller AS (
            SELECT distributor_id, SUM(amount) AS amount
              FROM paid
             GROUP BY distributor_id
        ),
        score AS (
            SELECT upline.id::int AS distributor_id, ROUND(SUM(s.amount), %(digits)s) AS value
              FROM seller s
              JOIN fenxiao_distributor t ON t.id = s.distributor_id
             CROSS JOIN LATERAL
                   unnest(string_to_array(rtrim(t.parent_path, '/'), '/')) AS upline(id)
             GROUP BY upline.id
        )
    """,
    # customers (commercial entities) whose first paid order ever was paid in
    # the period: counted for the distributor credited with that first order
    "new_customers": """
        bought AS (
            SELECT DISTINCT ON (p.commercial_partner_id)
                   p.commercial_partner_id AS customer, paid.distributor_id, paid.paid_date,
                   paid.id
              FROM paid
              JOIN res_partner p ON p.id = paid.partner_id
             ORDER BY p.commercial_partner_id, paid.paid_date, paid.id
        ),
        score AS (
            SELECT b.distributor_id, COUNT(*) AS value
              FROM bought b
             WHERE NOT EXISTS (
                    SELECT 1
                      FROM res_partner p2
                      JOIN sale_order o2 ON o2.partner_id = p2.id
                     WHERE p2.commercial_partner_id = b.customer
                       AND o2.state = 'sale'
                       AND o2.fenxiao_paid_date < %(start)s
                   )
             GROUP BY b.distributor_id
        )
    """,
}

_LEADERBOARD = """
    WITH paid AS ({paid}),
    {scores},
    ranked AS (
        SELECT d.id, s.value,
               rank() OVER (ORDER BY s.value DESC, d.id) AS rank,
               COUNT(*) OVER () AS total
          FROM score s
          JOIN fenxiao_distributor d ON d.id = s.distributor_id
         WHERE d.company_id = %(company)s
           AND d.state = 'active'
           AND s.value > 0
    )
    SELECT id, rank, value, total
      FROM ranked
     WHERE rank <= %(limit)s OR id = %(own)s
     ORDER BY rank
"""


class FenxiaoDistributor(models.Model):
    _inherit = "fenxiao.distributor"

    def _fenxiao_ranking_period(self, company, period_kind, day):
        """(first day, last day, start, end) of the week (Monday to Sunday) or
        month containing ``day``, in the company's time zone (its address's,
        else China's, as settlements); ``start`` and ``end`` are the UTC
        datetimes bounding it, ``end`` excluded."""
        if period_kind not in PERIOD_KINDS:
            raise UserError(self.env._("Rank by week or by month."))
        if period_kind == "month":
            first = day.replace(day=1)
            last = first + relativedelta(months=1, days=-1)
        else:
            first = day - timedelta(days=day.weekday())
            last = first + timedelta(days=6)
        tz = pytz.timezone(company.partner_id.tz or "Asia/Shanghai")

        def utc(local_day):
            moment = tz.localize(datetime.combine(local_day, time.min))
            return moment.astimezone(pytz.utc).replace(tzinfo=None)

        return first, last, utc(first), utc(last + timedelta(days=1))

    def _fenxiao_leaderboard(self, company, metric, period_kind, day, limit=50, distributor=None):
        """The leaderboard of ``company``'s active distributors by ``metric``
        over the week or month (``period_kind``) that contains ``day``.

        - ``sales``: untaxed amount of the paid orders credited to the
          distributor, in the company currency;
        - ``team_sales``: the same over the distributor and everyone below them;
        - ``new_customers``: customers whose first paid order ever was paid in
          the period and credited to the distributor.

        Only distributors with something to show are ranked; ties go to the
        earlier distributor (lower id), so every rank is given once. One SQL
        statement whatever the size of the network: it returns the top
        ``limit`` and, when given, ``distributor``'s own row.

        Returns a dict: ``rows`` (list of {rank, distributor, value}),
        ``own`` (the row of ``distributor``, or None when unranked), ``total``
        (distributors ranked), ``date_from``, ``date_to``, ``metric``,
        ``period_kind``.
        """
        if metric not in METRICS:
            raise UserError(self.env._("Rank by sales, team sales or new customers."))
        company.ensure_one()
        first, last, start, end = self._fenxiao_ranking_period(company, period_kind, day)
        self.env["sale.order"].flush_model(
            ["state", "fenxiao_distributor_id", "fenxiao_paid_date", "amount_untaxed", "partner_id"]
        )
        self.flush_model(["parent_path", "company_id", "state"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        own_id = distributor.id if distributor else None
        query = SQL(
            _LEADERBOARD.format(paid=_PAID_ORDERS, scores=_SCORES[metric]),
            start=start,
            end=end,
            digits=company.currency_id.decimal_places,
            company=company.id,
            limit=limit,
            own=own_id,
        )
        self.env.cr.execute(query)
        rows = []
        own = None
        total = 0
        for distributor_id, rank, value, count in self.env.cr.fetchall():
            row = {
                "rank": rank,
                "distributor": self.browse(distributor_id),
                "value": float(value) if metric in MONEY_METRICS else int(value),
            }
            total = count
            if rank <= limit:
                rows.append(row)
            if distributor_id == own_id:
                own = row
        # the names and tiers of the board in one read, not one per row
        self.browse([row["distributor"].id for row in rows]).fetch(["name", "tier_id"])
        return {
            "rows": rows,
            "own": own,
            "total": total,
            "date_from": first,
            "date_to": last,
            "metric": metric,
            "period_kind": period_kind,
        }
