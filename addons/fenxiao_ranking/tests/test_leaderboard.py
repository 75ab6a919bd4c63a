from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import FenxiaoRankingCase, beijing

# July 2019: weeks of Monday 1 and Monday 8, far from the demo shop's orders
WEEK_1 = date(2019, 7, 3)
WEEK_2 = date(2019, 7, 10)
JULY = date(2019, 7, 20)


@tagged("post_install", "-at_install")
class TestLeaderboard(FenxiaoRankingCase):
    """root ─┬─ a ─── a1 ─── a11
             └─ b

    Week 1: a1 sells 300 to c1, a11 200 to c2 and 40 to c5 (who bought from b
    in June), b 300 to c3 on Sunday 23:30 in Beijing. Week 2: a 100 to c4 on
    Monday 00:30 in Beijing, a1 50 to c1 again.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c1, c2, c3, c4, c5 = (cls._customer(f"顾客 C{i}") for i in range(1, 6))
        cls._sale(cls.b, c5, 10, beijing(2019, 6, 20, 12, 0))
        cls._sale(cls.a1, c1, 300, beijing(2019, 7, 2, 10, 0))
        cls._sale(cls.a11, c2, 200, beijing(2019, 7, 3, 10, 0))
        cls._sale(cls.a11, c5, 40, beijing(2019, 7, 4, 10, 0))
        cls._sale(cls.b, c3, 300, beijing(2019, 7, 7, 23, 30))
        cls._sale(cls.a, c4, 100, beijing(2019, 7, 8, 0, 30))
        cls._sale(cls.a1, c1, 50, beijing(2019, 7, 9, 10, 0))
        # neither counts: cancelled, or confirmed and never paid
        cancelled = cls._sale(cls.b, c4, 5000, beijing(2019, 7, 2, 10, 0))
        cancelled.state = "cancel"
        unpaid = cls._sale(cls.b, c4, 7000, beijing(2019, 7, 2, 10, 0))
        unpaid.fenxiao_paid_date = False
        cls.env.flush_all()

    def _board(self, metric, period_kind, day, **kwargs):
        return self.Distributor._fenxiao_leaderboard(
            self.company, metric, period_kind, day, **kwargs
        )

    def _ranks(self, board):
        return [(row["rank"], row["distributor"], row["value"]) for row in board["rows"]]

    def test_weekly_sales_ties_go_to_the_earlier_distributor(self):
        board = self._board("sales", "week", WEEK_1)
        self.assertEqual(
            self._ranks(board),
            [(1, self.b, 300.0), (2, self.a1, 300.0), (3, self.a11, 240.0)],
        )
        self.assertEqual(
            (board["date_from"], board["date_to"]), (date(2019, 7, 1), date(2019, 7, 7))
        )
        self.assertEqual(board["total"], 3)

    def test_weekly_team_sales_count_everyone_below(self):
        board = self._board("team_sales", "week", WEEK_1)
        self.assertEqual(
            self._ranks(board),
            [
                (1, self.root, 840.0),
                (2, self.a, 540.0),
                (3, self.a1, 540.0),
                (4, self.b, 300.0),
                (5, self.a11, 240.0),
            ],
        )

    def test_new_customers_count_only_a_first_paid_order(self):
        # c5 bought in June: not new in July
        board = self._board("new_customers", "week", WEEK_1)
        self.assertEqual(self._ranks(board), [(1, self.b, 1), (2, self.a1, 1), (3, self.a11, 1)])
        # c1 bought again in week 2: a1 wins no new customer there
        board = self._board("new_customers", "week", WEEK_2)
        self.assertEqual(self._ranks(board), [(1, self.a, 1)])
        board = self._board("new_customers", "month", JULY)
        self.assertEqual(
            self._ranks(board),
            [(1, self.a, 1), (2, self.b, 1), (3, self.a1, 1), (4, self.a11, 1)],
        )

    def test_monthly_sales(self):
        board = self._board("sales", "month", JULY)
        self.assertEqual(
            self._ranks(board),
            [(1, self.a1, 350.0), (2, self.b, 300.0), (3, self.a11, 240.0), (4, self.a, 100.0)],
        )
        self.assertEqual(
            (board["date_from"], board["date_to"]), (date(2019, 7, 1), date(2019, 7, 31))
        )

    def test_week_ends_at_midnight_in_beijing(self):
        # b's order on Sunday 23:30 in Beijing (15:30 UTC) is in week 1,
        # a's on Monday 00:30 (Sunday 16:30 UTC) in week 2
        week_1 = self._board("sales", "week", date(2019, 7, 7))
        self.assertIn(self.b, [row["distributor"] for row in week_1["rows"]])
        self.assertNotIn(self.a, [row["distributor"] for row in week_1["rows"]])
        week_2 = self._board("sales", "week", date(2019, 7, 8))
        self.assertEqual(self._ranks(week_2), [(1, self.a, 100.0), (2, self.a1, 50.0)])

    def test_own_place_outside_the_top(self):
        board = self._board("sales", "week", WEEK_1, limit=2, distributor=self.a11)
        self.assertEqual(len(board["rows"]), 2)
        self.assertNotIn(self.a11, [row["distributor"] for row in board["rows"]])
        self.assertEqual((board["own"]["rank"], board["own"]["value"]), (3, 240.0))
        # inside the top, the own row is one of the rows
        board = self._board("sales", "week", WEEK_1, limit=2, distributor=self.b)
        self.assertEqual(board["own"]["rank"], 1)
        # nothing sold: not ranked
        board = self._board("sales", "week", WEEK_1, distributor=self.root)
        self.assertIsNone(board["own"])

    def test_only_active_distributors_are_ranked(self):
        self.a11.sudo()._logged_write({"state": "suspended"}, "state", "test")
        board = self._board("team_sales", "week", WEEK_1, distributor=self.a11)
        self.assertNotIn(self.a11, [row["distributor"] for row in board["rows"]])
        self.assertIsNone(board["own"])
        # their sales still count for their upline's team
        a1_row = next(row for row in board["rows"] if row["distributor"] == self.a1)
        self.assertEqual(a1_row["value"], 540.0)

    def test_amounts_are_in_the_company_currency(self):
        # an order in a currency worth two of the company's: 60 in it is 120
        order = self._sale(self.root, self._customer("外币 Foreign"), 60, beijing(2019, 7, 2, 9))
        self.env.cr.execute("UPDATE sale_order SET currency_rate = 0.5 WHERE id = %s", [order.id])
        board = self._board("sales", "week", WEEK_1)
        self.assertIn((4, self.root, 120.0), self._ranks(board))

    def test_other_company_is_not_ranked(self):
        other = self.env["res.company"].create({"name": "另一家 Other"})
        board = self.Distributor._fenxiao_leaderboard(other, "sales", "week", WEEK_1)
        self.assertEqual(board["rows"], [])

    def test_unknown_metric_or_period_is_refused(self):
        with self.assertRaises(UserError):
            self._board("commission", "week", WEEK_1)
        with self.assertRaises(UserError):
            self._board("sales", "year", WEEK_1)


@tagged("post_install", "-at_install")
class TestLeaderboardQueries(FenxiaoRankingCase):
    """A leaderboard is one statement, and one read of the names, whatever
    the number of distributors."""

    def _grow(self, count):
        customers = self.env["res.partner"].create(
            [{"name": f"顾客 Q{len(self.Distributor.search([]))}-{i}"} for i in range(count)]
        )
        partners = self.env["res.partner"].create([{"name": f"分销员 D{i}"} for i in range(count)])
        distributors = self.Distributor.create(
            [
                {"partner_id": partner.id, "parent_id": self.a1.id, "state": "active"}
                for partner in partners
            ]
        )
        for i, (distributor, customer) in enumerate(zip(distributors, customers, strict=True)):
            self._sale(distributor, customer, 10 + i, beijing(2019, 7, 2, 10, 0))

    def _queries(self):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        for metric in ("sales", "team_sales", "new_customers"):
            board = self.Distributor._fenxiao_leaderboard(
                self.company, metric, "month", date(2019, 7, 1), distributor=self.a11
            )
            # read as the pages do
            shown = [
                (row["distributor"].name, row["distributor"].tier_id.name) for row in board["rows"]
            ]
            self.assertEqual(len(shown), len(board["rows"]))
        return self.cr.sql_log_count - before, len(board["rows"])

    def test_query_count_does_not_grow_with_the_network(self):
        self._grow(10)
        small, small_rows = self._queries()
        self._grow(40)
        large, large_rows = self._queries()
        self.assertEqual((small_rows, large_rows), (10, 50))
        self.assertEqual(small, large)
        self.assertLessEqual(large, 3 * 3, "a statement, the names and the tiers per board")
        self.env.flush_all()
        self.env.invalidate_all()
        # the company's time zone and currency, read once per request anyway
        self.assertEqual(self.company.partner_id.tz, "Asia/Shanghai")
        self.assertGreaterEqual(self.company.currency_id.decimal_places, 0)
        # the statement, and the names and tiers of the board
        with self.assertQueryCount(2):
            self.Distributor._fenxiao_leaderboard(
                self.company, "team_sales", "week", date(2019, 7, 1)
            )
