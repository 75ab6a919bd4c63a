from freezegun import freeze_time
from psycopg2.errors import UniqueViolation

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FenxiaoCheckinCase


@tagged("post_install", "-at_install")
class TestCheckin(FenxiaoCheckinCase):
    def test_checkin_across_shanghai_midnight_is_two_days_streak_two(self):
        # 23:59 in Shanghai is 15:59 UTC; 00:01 the next Shanghai day is 16:01 UTC
        with freeze_time("2026-03-10 15:59:00"):
            first = self._check_in()
        with freeze_time("2026-03-10 16:01:00"):
            second = self._check_in()
        self.assertEqual(str(first.day), "2026-03-10")
        self.assertEqual(str(second.day), "2026-03-11")
        self.assertEqual((first.streak, second.streak), (1, 2))
        self.assertEqual(self._card().points, 10)

    def test_checkin_twice_the_same_shanghai_day_is_one(self):
        # 00:30 and 23:30 Shanghai: both 2026-03-11 there, two days in UTC
        with freeze_time("2026-03-10 16:30:00"):
            first = self._check_in()
        with freeze_time("2026-03-11 15:30:00"):
            again = self._check_in()
        self.assertTrue(first)
        self.assertFalse(again)
        checkins = self.Checkin.search([("partner_id", "=", self.partner.id)])
        self.assertEqual(len(checkins), 1)
        self.assertEqual(self._card().points, 5)
        self.assertEqual(len(self._card().history_ids), 1)

    def test_checkin_unique_partner_day_in_the_database(self):
        with freeze_time("2026-03-11 04:00:00"):
            first = self._check_in()
        with mute_logger("odoo.sql_db"), self.assertRaises(UniqueViolation), self.cr.savepoint():
            self.cr.execute(
                "INSERT INTO fenxiao_checkin (partner_id, company_id, day) VALUES (%s, %s, %s)",
                [self.partner.id, self.company.id, first.day],
            )

    def test_missed_day_resets_the_streak(self):
        with freeze_time("2026-03-10 04:00:00"):
            self._check_in()
        with freeze_time("2026-03-11 04:00:00"):
            self.assertEqual(self._check_in().streak, 2)
        with freeze_time("2026-03-13 04:00:00"):
            after_gap = self._check_in()
        self.assertEqual(after_gap.streak, 1)
        self.assertEqual(after_gap.points, 5)

    def test_seventh_consecutive_day_gives_the_bonus(self):
        checkins = self.Checkin
        for day in range(1, 9):
            with freeze_time(f"2026-03-{day:02d} 04:00:00"):
                checkins |= self._check_in()
        self.assertEqual(checkins.mapped("streak"), [1, 2, 3, 4, 5, 6, 7, 8])
        self.assertEqual(checkins.mapped("points"), [5, 5, 5, 5, 5, 5, 25, 5])
        self.assertEqual(self._card().points, 8 * 5 + 20)

    def test_points_land_on_the_loyalty_card_with_a_history_line(self):
        existing = self.env["loyalty.card"].create(
            {"program_id": self.program.id, "partner_id": self.partner.id, "points": 7}
        )
        with freeze_time("2026-03-11 04:00:00"):
            checkin = self._check_in()
        self.assertEqual(checkin.loyalty_card_id, existing)
        self.assertEqual(existing.points, 12)
        self.assertEqual(existing.history_ids.mapped("issued"), [5])
        self.assertIn("2026-03-11", existing.history_ids.description)

    def test_off_when_no_program(self):
        self.company.fenxiao_checkin_program_id = False
        with freeze_time("2026-03-11 04:00:00"):
            self.assertFalse(self._check_in())
        self.assertFalse(self.Checkin.search([("partner_id", "=", self.partner.id)]))
        self.assertFalse(self._card())

    def test_negative_settings_refused(self):
        with self.assertRaises(ValidationError):
            self.company.fenxiao_checkin_points = -1

    def test_settings_turn_check_in_on(self):
        self.company.fenxiao_checkin_program_id = False
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        settings.fenxiao_checkin_program_id = self.program
        settings.fenxiao_checkin_points = 3
        settings.execute()
        self.assertEqual(self.company.fenxiao_checkin_program_id, self.program)
        with freeze_time("2026-03-11 04:00:00"):
            self.assertEqual(self._check_in().points, 3)
