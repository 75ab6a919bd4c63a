from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import FenxiaoRankingCase, beijing


@tagged("post_install", "-at_install")
class TestRankingBoard(FenxiaoRankingCase):
    """分销 → Rankings: the top 100 with real names, for the distribution team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._sale(cls.a1, cls._customer("顾客 C1"), 300, beijing(2019, 7, 2, 10, 0))
        cls._sale(cls.b, cls._customer("顾客 C2"), 120, beijing(2019, 7, 20, 10, 0))

    def test_officer_sees_the_board_unmasked(self):
        Board = self.env["fenxiao.ranking.board"].with_user(self.officer)
        board = Board.create({"period_kind": "month", "date": date(2019, 7, 5), "metric": "sales"})
        self.assertEqual(
            [(line.rank, line.distributor_id, line.amount) for line in board.line_ids],
            [(1, self.a1, 300.0), (2, self.b, 120.0)],
        )
        # real names for the distribution team, where the portal masks them
        self.assertEqual(board.line_ids[0].distributor_id.display_name, self.a1.name)
        self.assertNotIn("*", self.a1.name)
        self.assertEqual(board.ranked_count, 2)
        self.assertEqual((board.date_from, board.date_to), (date(2019, 7, 1), date(2019, 7, 31)))
        # another metric or period recomputes the list
        board.write({"metric": "new_customers", "period_kind": "week"})
        self.assertEqual(
            [(line.rank, line.distributor_id, line.customer_count) for line in board.line_ids],
            [(1, self.a1, 1)],
        )
        action = board.line_ids.action_open_distributor()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("fenxiao.distributor", self.a1.id)
        )

    def test_portal_user_cannot_open_the_board(self):
        with self.assertRaises(AccessError):
            self.env["fenxiao.ranking.board"].with_user(self.portal_user).create(
                {"period_kind": "month", "date": date(2019, 7, 5), "metric": "sales"}
            )
