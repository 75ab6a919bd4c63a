from datetime import datetime, timedelta

import pytz

from odoo import fields, models

CHECKIN_TZ = "Asia/Shanghai"


class FenxiaoCheckin(models.Model):
    """One check-in of a partner on one day of Shanghai's calendar."""

    _name = "fenxiao.checkin"
    _description = "Daily Check-in"
    _order = "day desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    day = fields.Date(required=True, readonly=True, help="The day in Asia/Shanghai.")
    streak = fields.Integer(readonly=True, help="Consecutive days of check-in, this one included.")
    points = fields.Float(readonly=True, help="Points given, the streak bonus included.")
    loyalty_card_id = fields.Many2one("loyalty.card", readonly=True)

    _sql_constraints = [
        ("partner_day_uniq", "UNIQUE(partner_id, day)", "One check-in a day."),
    ]

    def _fenxiao_today(self):
        """Today on Shanghai's calendar, wherever the server is."""
        return datetime.now(pytz.timezone(CHECKIN_TZ)).date()

    def _fenxiao_state(self, partner, company):
        """What the portal card shows: checked in today, the streak, the balance."""
        today = self._fenxiao_today()
        last = self.sudo().search(
            [("partner_id", "=", partner.id), ("day", ">=", today - timedelta(days=1))], limit=1
        )
        program = company.fenxiao_checkin_program_id
        card = self.env["loyalty.card"].sudo()
        if program:
            card = card.search(
                [("program_id", "=", program.id), ("partner_id", "=", partner.id)], limit=1
            )
        return {
            "enabled": bool(program),
            "done": bool(last) and last.day == today,
            "streak": last.streak if last else 0,
            "balance": card.points if card else 0.0,
        }

    def _fenxiao_check_in(self, partner, company):
        """Check the partner in for today: returns the check-in, or an empty
        recordset when they already did today or check-in is off.

        The database decides: ``INSERT … ON CONFLICT DO NOTHING RETURNING``
        on UNIQUE(partner, day), so two taps give one check-in and one set
        of points.
        """
        program = company.fenxiao_checkin_program_id
        if not program:
            return self.browse()
        today = self._fenxiao_today()
        yesterday = self.search(
            [("partner_id", "=", partner.id), ("day", "=", today - timedelta(days=1))], limit=1
        )
        streak = yesterday.streak + 1 if yesterday else 1
        points = company.fenxiao_checkin_points
        every = company.fenxiao_checkin_streak_days
        if every and streak % every == 0:
            points += company.fenxiao_checkin_streak_bonus
        self.env.cr.execute(
            """
            INSERT INTO fenxiao_checkin
                (partner_id, company_id, day, streak, points,
                 create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (partner_id, day) DO NOTHING
            RETURNING id
            """,
            [partner.id, company.id, today, streak, points, self.env.uid, self.env.uid],
        )
        row = self.env.cr.fetchone()
        if not row:
            return self.browse()
        checkin = self.browse(row[0])
        if points:
            card = self._fenxiao_add_points(partner, program, points, today)
            checkin.loyalty_card_id = card
        return checkin

    def _fenxiao_add_points(self, partner, program, points, day):
        """Add the points on the partner's card of the program (created when
        they have none), with a line in the card's history."""
        Card = self.env["loyalty.card"].sudo()
        card = Card.search(
            [("program_id", "=", program.id), ("partner_id", "=", partner.id)], limit=1
        )
        if not card:
            card = Card.create({"program_id": program.id, "partner_id": partner.id, "points": 0})
        # one statement: two grants at once cannot lose each other's points
        card.flush_recordset(["points"])
        self.env.cr.execute(
            "UPDATE loyalty_card SET points = points + %s WHERE id = %s", [points, card.id]
        )
        card.invalidate_recordset(["points"])
        self.env["loyalty.history"].sudo().create(
            {
                "card_id": card.id,
                "description": self.env._("Daily check-in %(day)s", day=day),
                "issued": points,
            }
        )
        return card
