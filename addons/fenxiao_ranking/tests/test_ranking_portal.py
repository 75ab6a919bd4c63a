import re

from odoo import fields
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import FenxiaoRankingCase

# far above what the demo shop sells in a week, so that these tests' ranks are known
BIG = 10_000_000


@tagged("post_install", "-at_install")
class TestRankingPortal(FenxiaoRankingCase, HttpCase):
    """排行榜 in the distributor centre, as a1 sees it.

    root ─┬─ a ─── a1 ─── a11
          └─ b
    """

    browser_size = "375x667"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now()
        cls._sale(cls.b, cls._customer("顾客 C1"), BIG + 3000, now)
        cls._sale(cls.a1, cls._customer("顾客 C2"), BIG + 2000, now)
        cls._sale(cls.a11, cls._customer("顾客 C3"), BIG + 1000, now)
        cls.portal_user.lang = "zh_CN"

    def _page(self, url):
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response.text

    def test_others_are_masked_and_own_row_is_highlighted(self):
        page = self._page("/my/fenxiao/ranking?period=week&metric=sales")
        self.assertIn("乙*B", page)
        self.assertNotIn(self.b.name, page)
        self.assertNotIn(self.a11.name, page)
        self.assertIn("甲*****1", page)
        own = re.search(r"o_fenxiao_ranking_own[^>]*>(.*?)</li>", page, re.S).group(1)
        self.assertIn(self.a1.name, own)
        self.assertIn("你的排名：第 2 名", page)
        self.assertIn("10,002,000.00", page)

    def test_metrics_and_periods(self):
        page = self._page("/my/fenxiao/ranking?period=month&metric=team_sales")
        # a1's team: their own sales and a11's
        self.assertIn("20,003,000.00", page)
        page = self._page("/my/fenxiao/ranking?period=week&metric=new_customers")
        self.assertIn("o_fenxiao_ranking_list", page)
        self.assertIn("1 位", page)

    def test_own_place_outside_the_top_50(self):
        partners = self.env["res.partner"].create([{"name": f"分销员 D{i}"} for i in range(50)])
        distributors = self.Distributor.create(
            [{"partner_id": p.id, "parent_id": self.b.id, "state": "active"} for p in partners]
        )
        now = fields.Datetime.now()
        for distributor in distributors:
            self._sale(distributor, self._customer("顾客"), BIG + 5000, now)
        page = self._page("/my/fenxiao/ranking")
        self.assertNotIn("o_fenxiao_ranking_own", page)
        self.assertIn("你的排名：第 52 名", page)
        self.assertEqual(page.count('class="list-group-item '), 50)

    def test_parameters_are_strict(self):
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        for url in [
            "/my/fenxiao/ranking?period=year",
            "/my/fenxiao/ranking?metric=commission",
            "/my/fenxiao/ranking?metric=%00",
            "/my/fenxiao/ranking?period=" + "w" * 5000,
        ]:
            self.assertEqual(self.url_open(url).status_code, 400, url)

    def test_a_shopper_gets_no_board(self):
        new_test_user(self.env, "fx_shopper", groups="base.group_portal")
        self.authenticate("fx_shopper", "fx_shopper")
        response = self.url_open("/my/fenxiao/ranking", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith("/my/fenxiao"))

    def test_leaderboard_is_not_reachable_through_rpc(self):
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        for model, method, args in [
            ("fenxiao.distributor", "_fenxiao_leaderboard", [self.company.id, "sales", "week"]),
            ("fenxiao.ranking.board", "create", [{"metric": "sales"}]),
            ("fenxiao.ranking.board.line", "search_read", [[]]),
        ]:
            with self.assertRaises(JsonRpcException) as caught:
                self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/{model}/{method}",
                    {"model": model, "method": method, "args": args, "kwargs": {}},
                )
            self.assertIn("AccessError", str(caught.exception), f"{model}.{method}")

    def test_page_fits_a_phone(self):
        # a long name of one's own, and a rank badge of three digits
        self.a1.partner_id.name = "司马" + "长" * 40 + " Sima Changchangchang"
        check = """
            const width = window.innerWidth;
            const own = document.querySelector('.o_fenxiao_own_rank');
            const row = document.querySelector('.o_fenxiao_ranking_own');
            const value = row && row.querySelector('.o_fenxiao_ranking_value');
            if (document.documentElement.scrollWidth > width) {
                const wide = document.documentElement.scrollWidth;
                console.error('the page is wider than the phone: ' + wide);
            } else if (!own || own.getBoundingClientRect().right > width) {
                console.error('the own place is off screen');
            } else if (!value || value.getBoundingClientRect().right > width) {
                console.error('the own value is off screen');
            } else {
                console.log('test successful');
            }
        """
        self.browser_js(
            "/my/fenxiao/ranking?period=month&metric=team_sales",
            check,
            ready="document.readyState === 'complete'",
            login="fx_portal_a1",
        )
