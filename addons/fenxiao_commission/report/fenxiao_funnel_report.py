from odoo import fields, models
from odoo.tools import SQL


class FenxiaoFunnelReport(models.Model):
    """The referral funnel per distributor and day: link visits, sign-ups,
    first orders and repeat orders.

    Days are the company's (its address's time zone), as the merchant reads
    them. Sign-ups are the customers bound at sign-up; orders are confirmed
    orders credited to the distributor, first or repeat for their customer.
    """

    _name = "fenxiao.funnel.report"
    _description = "Referral Funnel"
    _auto = False
    _order = "date desc"
    _rec_name = "distributor_id"
    _depends = {
        "fenxiao.referral.visit": ["distributor_id", "date"],
        "fenxiao.binding": ["distributor_id", "date", "cause"],
        "sale.order": ["state", "date_order", "partner_id", "fenxiao_distributor_id"],
        "res.partner": ["commercial_partner_id", "tz"],
        "fenxiao.distributor": ["company_id", "tier_id"],
    }

    date = fields.Date(string="Day", readonly=True)
    distributor_id = fields.Many2one("fenxiao.distributor", readonly=True)
    tier_id = fields.Many2one("fenxiao.tier", readonly=True, help="The distributor's tier today.")
    company_id = fields.Many2one("res.company", readonly=True)
    visits = fields.Integer(string="Link Visits", readonly=True)
    signups = fields.Integer(string="Sign-ups", readonly=True)
    first_orders = fields.Integer(readonly=True)
    repeat_orders = fields.Integer(readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH ranked_orders AS (
                SELECT so.fenxiao_distributor_id AS distributor_id,
                       so.date_order AS at,
                       row_number() OVER (
                           PARTITION BY partner.commercial_partner_id
                           ORDER BY so.date_order, so.id
                       ) AS customer_rank
                  FROM sale_order so
                  JOIN res_partner partner ON partner.id = so.partner_id
                 WHERE so.state = 'sale'
            ),
            events AS (
                SELECT visit.distributor_id, visit.date AS at,
                       1 AS visits, 0 AS signups, 0 AS first_orders, 0 AS repeat_orders
                  FROM fenxiao_referral_visit visit
                UNION ALL
                SELECT binding.distributor_id, binding.date, 0, 1, 0, 0
                  FROM fenxiao_binding binding
                 WHERE binding.cause = 'signup'
                UNION ALL
                SELECT ranked_orders.distributor_id, ranked_orders.at, 0, 0,
                       (ranked_orders.customer_rank = 1)::int,
                       (ranked_orders.customer_rank > 1)::int
                  FROM ranked_orders
                 WHERE ranked_orders.distributor_id IS NOT NULL
            )
            -- an id from the row's key, not row_number(): a window here
            -- would stop the filters (period, distributor) from reaching
            -- the grouping below, and the whole history would be grouped
            SELECT days.distributor_id::bigint * 100000
                       + (days.date - DATE '2000-01-01') AS id,
                   days.*
              FROM (
                SELECT (events.at AT TIME ZONE 'UTC'
                                  AT TIME ZONE COALESCE(NULLIF(company_partner.tz, ''), 'UTC')
                       )::date AS date,
                       events.distributor_id,
                       distributor.tier_id,
                       distributor.company_id,
                       SUM(events.visits) AS visits,
                       SUM(events.signups) AS signups,
                       SUM(events.first_orders) AS first_orders,
                       SUM(events.repeat_orders) AS repeat_orders
                  FROM events
                  JOIN fenxiao_distributor distributor ON distributor.id = events.distributor_id
                  JOIN res_company company ON company.id = distributor.company_id
                  JOIN res_partner company_partner ON company_partner.id = company.partner_id
                 GROUP BY 1, 2, 3, 4
              ) days
            """
        )
