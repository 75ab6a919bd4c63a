from datetime import date, datetime, time, timedelta

import pytz

from odoo import models
from odoo.tools import SQL

from odoo.addons.auth_phone_otp.utils import mask_phone
from odoo.addons.fenxiao.models.fenxiao_distributor import mask_name
from odoo.addons.fenxiao.tools.back_office import as_back_office

CHART_DAYS = 30


class FenxiaoDistributor(models.Model):
    _inherit = "fenxiao.distributor"

    # ------------------------------------------------------------------
    # The distributor centre (portal): everything is read for ``self``, the
    # signed-in distributor, with explicit team bounds; the controllers never
    # take a distributor id from the request.
    # ------------------------------------------------------------------
    def _portal_day_bounds(self, tz_name, day=None):
        """UTC datetimes bounding ``day`` (default today) in the user's time zone."""
        tz = pytz.timezone(tz_name or "Asia/Shanghai")
        day = day or datetime.now(tz).date()
        start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)
        return start.replace(tzinfo=None), day

    def _portal_dashboard(self, tz_name):
        """The figures of the centre's first page, in a handful of grouped queries."""
        self.ensure_one()
        Line = self.env["fenxiao.commission.line"].sudo()
        today_start, today = self._portal_day_bounds(tz_name)
        month_start, __ = self._portal_day_bounds(tz_name, today.replace(day=1))
        chart_start, __ = self._portal_day_bounds(tz_name, today - timedelta(days=CHART_DAYS - 1))
        # Earned per local day over the chart's days (commission less reversals).
        # date:day truncates in the context's time zone and gives the local
        # midnight as a naive datetime.
        per_day = {
            moment.date(): amount
            for moment, amount in Line.with_context(tz=tz_name or "Asia/Shanghai")._read_group(
                [("distributor_id", "=", self.id), ("date", ">=", chart_start)],
                ["date:day"],
                ["amount:sum"],
            )
        }
        days = [today - timedelta(days=offset) for offset in range(CHART_DAYS - 1, -1, -1)]
        series = [(day, per_day.get(day, 0.0)) for day in days]
        month = Line._read_group(
            [("distributor_id", "=", self.id), ("date", ">=", month_start)],
            aggregates=["amount:sum"],
        )[0][0]
        distributor = self.sudo()
        balances = distributor.env["fenxiao.withdrawal"]._balances(distributor)[distributor]
        next_tier, progress = distributor._tier_progress()[distributor]
        return {
            "today": sum(amount for day, amount in series if day == today),
            "today_start": today_start,
            "month": month or 0.0,
            "balances": balances,
            "rank": self._portal_month_rank(month_start),
            "next_tier": next_tier,
            "tier_progress": progress,
            "series": series,
        }

    def _portal_month_rank(self, month_start):
        """(rank, distributors ranked) by commission earned since ``month_start``.

        One statement over the company's month; the distributor is unranked
        (None) until they earn something.
        """
        self.ensure_one()
        self.env["fenxiao.commission.line"].flush_model(["distributor_id", "amount", "date"])
        self.env.cr.execute(
            SQL(
                """
                WITH month AS (
                    SELECT distributor_id, SUM(amount) AS earned
                      FROM fenxiao_commission_line
                     WHERE company_id = %(company)s AND date >= %(start)s
                     GROUP BY distributor_id
                    HAVING SUM(amount) > 0
                )
                SELECT (SELECT COUNT(*) + 1 FROM month m2 WHERE m2.earned > m.earned),
                       (SELECT COUNT(*) FROM month)
                  FROM month m
                 WHERE m.distributor_id = %(distributor)s
                """,
                company=self.company_id.id,
                start=month_start,
                distributor=self.id,
            )
        )
        row = self.env.cr.fetchone()
        return row if row else (None, None)

    def _portal_team_query(self, relative_level):
        """A query of the team members ``relative_level`` levels below ``self``
        (1 = direct recruits), served by the parent_path index."""
        self.ensure_one()
        self.flush_model(["parent_path"])
        query = self.sudo()._search([("id", "child_of", self.id), ("id", "!=", self.id)])
        query.add_where(
            SQL(
                "length(%s) - length(replace(%s, '/', '')) = %s",
                SQL.identifier("fenxiao_distributor", "parent_path"),
                SQL.identifier("fenxiao_distributor", "parent_path"),
                self.depth + relative_level,
            )
        )
        return query

    def _portal_team_levels(self):
        """{relative level: member count} for the levels the company pays on."""
        self.ensure_one()
        max_levels = self.company_id.fenxiao_max_levels
        self.env.cr.execute(
            SQL(
                """
                SELECT length(parent_path) - length(replace(parent_path, '/', '')) - %(depth)s,
                       COUNT(*)
                  FROM fenxiao_distributor
                 WHERE parent_path ~>=~ %(path)s AND parent_path ~<~ (%(path)s || '~')
                   AND id != %(id)s
                 GROUP BY 1
                """,
                depth=self.depth,
                path=self.parent_path,
                id=self.id,
            )
        )
        counts = dict(self.env.cr.fetchall())
        return {level: counts.get(level, 0) for level in range(1, max_levels + 1)}

    def _portal_team_page(self, relative_level, offset, limit):
        """(members as dicts with masked name and phone, total) for one level."""
        query = self._portal_team_query(relative_level)
        Distributor = self.env["fenxiao.distributor"].sudo()
        total = Distributor.search_count([("id", "in", query)])
        members = Distributor.search(
            [("id", "in", query)], order="join_date desc, id desc", offset=offset, limit=limit
        )
        sales = dict(
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [("fenxiao_distributor_id", "in", members.ids), ("state", "=", "sale")],
                ["fenxiao_distributor_id"],
                ["amount_untaxed:sum"],
            )
        )
        rows = [
            {
                "name": mask_name(member.name),
                "phone": mask_phone(member.phone),
                "join_date": member.join_date,
                "tier": member.tier_id.name,
                "state": member.state,
                "sales": sales.get(member, 0.0),
            }
            for member in members
        ]
        return rows, total

    def _portal_orders_domain(self):
        """Confirmed orders brought by ``self`` or by the team down to the levels
        the company pays commission on."""
        self.ensure_one()
        team = self.sudo()._search([("id", "child_of", self.id)])
        team.add_where(
            SQL(
                "length(%s) - length(replace(%s, '/', '')) < %s",
                SQL.identifier("fenxiao_distributor", "parent_path"),
                SQL.identifier("fenxiao_distributor", "parent_path"),
                self.depth + self.company_id.fenxiao_max_levels,
            )
        )
        return [("fenxiao_distributor_id", "in", team), ("state", "=", "sale")]

    def _portal_ledger_domain(self, state=None, kind=None, month=None, tz_name=None):
        """Ledger lines of ``self`` the commission page lists: of a ``state``,
        a ``kind`` and a ``month`` (its first day, in the distributor's time
        zone ``tz_name``) when given."""
        self.ensure_one()
        domain = [("distributor_id", "=", self.id)]
        if state:
            domain.append(("state", "=", state))
        if kind:
            domain.append(("kind", "=", kind))
        if month:
            next_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            start_utc, __ = self._portal_day_bounds(tz_name, month)
            end_utc, __ = self._portal_day_bounds(tz_name, next_month)
            domain += [("date", ">=", start_utc), ("date", "<", end_utc)]
        return domain

    def _portal_order_rows(self, orders):
        """Team orders as the centre shows them: customer masked, own commission."""
        self.ensure_one()
        commission = dict(
            self.env["fenxiao.commission.line"]
            .sudo()
            ._read_group(
                [("distributor_id", "=", self.id), ("order_id", "in", orders.ids)],
                ["order_id"],
                ["amount:sum"],
            )
        )
        waiting = (
            self.env["fenxiao.commission.line"]
            .sudo()
            ._read_group(
                [
                    ("distributor_id", "=", self.id),
                    ("order_id", "in", orders.ids),
                    "|",
                    ("state", "=", "frozen"),
                    ("held", "=", True),
                ],
                ["order_id", "held"],
            )
        )
        frozen = {order for order, held in waiting if not held}
        # under review (suspected brushing): held out of settlement
        held = {order for order, held in waiting if held}
        return [
            {
                "name": order.name,
                "date": order.fenxiao_paid_date or order.date_order,
                "paid": bool(order.fenxiao_paid_date),
                "customer": mask_name(order.partner_id.commercial_partner_id.name),
                "by_me": order.fenxiao_distributor_id == self,
                "by": mask_name(order.fenxiao_distributor_id.name),
                "amount": order.amount_total,
                "currency": order.currency_id,
                "commission": commission.get(order, 0.0),
                "frozen": order in frozen,
                "held": order in held,
            }
            for order in orders
        ]

    def _portal_notify_application(self, message):
        """Put an application in front of the managers: the applicant's words in
        the chatter and one to-do for a distribution manager."""
        self.ensure_one()
        # the applicant's words, introduced in the managers' language
        body = as_back_office(self, self.company_id).env._(
            "Application from the distributor centre."
        )
        self.sudo().message_post(
            body=f"{body}\n{message}" if message else body,
            author_id=self.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        manager = (
            self.env.ref("fenxiao.group_fenxiao_manager")
            .sudo()
            .users.filtered(lambda user: user.active and not user.share)[:1]
        )
        if manager:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Review this distributor application"),
                user_id=manager.id,
            )

    def _portal_statement(self, date_from, date_to):
        """The statement figures (opening, earned, reversed, settled, withdrawn,
        closing) of ``self`` for a period, computed as the accountants' statement."""
        self.ensure_one()
        statement = (
            self.env["fenxiao.commission.statement"]
            .sudo()
            .new({"date_from": date_from, "date_to": date_to, "company_id": self.company_id.id})
        )
        return statement._figures(self.sudo())[self.sudo()]
