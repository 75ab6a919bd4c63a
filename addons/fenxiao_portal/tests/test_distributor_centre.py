import re

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase

CENTRE_PAGES = [
    "/my/fenxiao",
    "/my/fenxiao/team",
    "/my/fenxiao/team?level=2",
    "/my/fenxiao/orders",
    "/my/fenxiao/commission",
    "/my/fenxiao/statement",
    "/my/fenxiao/withdraw",
    "/my/fenxiao/invite",
]


@tagged("post_install", "-at_install")
class TestDistributorCentre(FenxiaoCommissionCase, HttpCase):
    """我的分销 as a1 sees it, with b's business next door.

    root ─┬─ a ─── a1 ─── a11
          └─ b
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a1's customer buys 10 jars (a1 earns 100.00, frozen), a11's one jar.
        cls.order_a1 = cls._paid_order(cls.customer, [(cls.p100, 10)])
        cls.customer_a11 = cls.env["res.partner"].create(
            {"name": "欧阳娜娜", "mobile": "13912345678"}
        )
        cls.customer_a11._fenxiao_bind(cls.a11, "manual")
        cls.order_a11 = cls._paid_order(cls.customer_a11, [(cls.p50, 2)])
        cls.a11.partner_id.mobile = "13700001111"
        # b's side: a customer, an order, a payout account and a withdrawal.
        cls.customer_b = cls.env["res.partner"].create({"name": "诸葛秘密"})
        cls.customer_b._fenxiao_bind(cls.b, "manual")
        cls.order_b = cls._paid_order(cls.customer_b, [(cls.p100, 3)])
        cls.account_b = cls.env["fenxiao.payout.account"].create(
            {
                "distributor_id": cls.b.id,
                "method": "bank",
                "holder_name": "乙 B",
                "bank_name": "中国银行",
                "account_number": "6222020000000009876",
            }
        )
        cls.withdrawal_b = (
            cls.env["fenxiao.withdrawal"]
            .sudo()
            .create(
                {
                    "name": "WD-B-SECRET",
                    "distributor_id": cls.b.id,
                    "amount": 12.0,
                    "fee": 0.0,
                    "net_amount": 12.0,
                    "method": "bank",
                    "payout_account_id": cls.account_b.id,
                }
            )
        )
        cls.user_b = new_test_user(
            cls.env, "fx_portal_b", groups="base.group_portal", partner_id=cls.b.partner_id.id
        )
        cls.account_a1 = cls._payout_account(cls.a1)

    def _login(self, login):
        self.authenticate(login, login)

    def _get(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response.text

    def _post(self, url, data):
        data = dict(data, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data)

    # ------------------------------------------------------------------
    # What a1 sees
    # ------------------------------------------------------------------
    def test_overview_shows_own_figures(self):
        self._login("fx_portal_a1")
        page = self._get("/my/fenxiao")
        frozen = re.search(r'o_fenxiao_frozen"[^>]*>(.*?)</div>', page, re.S).group(1)
        # 10 jars at 100.00: 10% = 100.00 frozen; a11's 2 masks: 5% of 100 = 5.00
        self.assertIn("105.00", frozen)
        self.assertEqual(page.count("<rect "), 30, "one bar per day of the last 30 days")
        self.assertIn(self.a1.referral_code, page)

    def test_tier_progress_reads_the_next_tiers_conditions(self):
        basic = self.env.ref("fenxiao.tier_basic")
        silver = self.env.ref("fenxiao.tier_silver")
        self.env["fenxiao.tier"].search([("sequence", ">", basic.sequence)]).filtered(
            lambda tier: tier.sequence < silver.sequence or tier == silver
        ).condition_ids = [Command.clear()]
        silver.write(
            {
                "condition_logic": "all",
                "condition_ids": [
                    Command.create(
                        {"metric": "personal_sales", "threshold": 4000.0, "period_days": 30}
                    )
                ],
            }
        )
        self.a1.with_context(fenxiao_logged_change=True).tier_id = basic
        next_tier, share = self.a1._tier_progress()[self.a1]
        self.assertEqual(next_tier, silver)
        self.assertTrue(0 < share < 1, "a1's own customer's order counts, not all of it")
        self._login("fx_portal_a1")
        page = self._get("/my/fenxiao")
        progress = page[page.index("o_fenxiao_tier_progress") :][:2000]
        self.assertIn(f"{int(share * 100)}%", progress)
        self.assertRegex(progress, r"≥ \S+\s?4,000\.00 / \D*30", "the condition as a sentence")
        self.assertIn(silver.with_context(lang=self.a1.partner_id.lang).name, progress)

    def test_team_is_masked_and_bounded(self):
        self._login("fx_portal_a1")
        page = self._get("/my/fenxiao/team?level=1")
        self.assertRegex(page, r"甲\*+1", "names are masked")
        self.assertNotIn(self.a11.name, page)
        self.assertIn("137****1111", page, "phones are masked")
        self.assertNotIn("13700001111", page)
        self.assertNotIn("乙 B", page)

    def test_team_orders_mask_customers(self):
        self._login("fx_portal_a1")
        page = self._get("/my/fenxiao/orders")
        self.assertIn(self.order_a1.name, page)
        self.assertIn(self.order_a11.name, page)
        self.assertIn("欧**娜", page)
        self.assertNotIn("欧阳娜娜", page)
        self.assertNotIn(self.order_b.name, page)

    def test_ledger_filters(self):
        self._login("fx_portal_a1")
        page = self._get("/my/fenxiao/commission?state=frozen&kind=commission")
        self.assertIn(self.order_a1.name, page)
        self.assertIn("105.00", page, "the filtered total")
        page = self._get("/my/fenxiao/commission?state=settled")
        self.assertNotIn(self.order_a1.name, page)
        page = self._get("/my/fenxiao/commission?month=2001-01")
        self.assertNotIn(self.order_a1.name, page)

    def test_held_commission_shows_under_review(self):
        self.order_a1.fenxiao_commission_line_ids._put_on_hold("刷单嫌疑")
        self._login("fx_portal_a1")
        page = self._get("/my/fenxiao")
        frozen = re.search(r'o_fenxiao_frozen"[^>]*>(.*?)</div>', page, re.S).group(1)
        self.assertIn("5.00", frozen)
        self.assertNotIn("105.00", frozen, "held commission is not frozen commission")
        held = re.search(r'o_fenxiao_held"[^>]*>(.*?)</div>', page, re.S).group(1)
        self.assertIn("100.00", held)
        page = self._get("/my/fenxiao/commission")
        self.assertEqual(page.count("o_fenxiao_held_badge"), 1, "a1's one held line")
        page = self._get("/my/fenxiao/orders")
        self.assertEqual(page.count("o_fenxiao_held_badge"), 1, "a1's order under review")
        self.assertEqual(page.count("o_fenxiao_frozen_badge"), 1, "a11's order, frozen")

    # ------------------------------------------------------------------
    # Someone else's ids, anywhere
    # ------------------------------------------------------------------
    def test_every_route_with_another_distributors_ids(self):
        """No route takes a distributor id: extra ids are ignored, and what is
        b's never appears in a1's centre nor changes through it."""
        self._login("fx_portal_a1")
        foreign = {
            "distributor_id": self.b.id,
            "id": self.b.id,
            "order_id": self.order_b.id,
            "withdrawal_id": self.withdrawal_b.id,
            "payout_account_id": self.account_b.id,
            "partner_id": self.b.partner_id.id,
        }
        query = "&".join(f"{key}={value}" for key, value in foreign.items())
        b_traces = [
            "WD-B-SECRET",
            self.order_b.name,
            "诸葛",
            "9876",
            self.b.referral_code,
        ]
        for page in CENTRE_PAGES:
            url = f"{page}{'&' if '?' in page else '?'}{query}"
            text = self._get(url)
            for trace in b_traces:
                self.assertNotIn(trace, text, f"{url} shows {trace}")
        # withdraw to b's account: refused, nothing written
        count = self.env["fenxiao.withdrawal"].sudo().search_count([])
        response = self._post(
            "/my/fenxiao/withdraw/request",
            {"amount": "10", "payout_account_id": self.account_b.id},
        )
        self.assertIn("o_fenxiao_error", response.text)
        self.assertEqual(self.env["fenxiao.withdrawal"].sudo().search_count([]), count)
        # remove b's account: refused, still there
        response = self._post(
            "/my/fenxiao/payout-account/remove", {"payout_account_id": self.account_b.id}
        )
        self.assertIn("o_fenxiao_error", response.text)
        self.assertTrue(self.account_b.active)

    def test_not_a_distributor_gets_no_centre(self):
        """A shopper who is not a distributor sees how to become one, and every
        other page of the centre sends them there."""
        new_test_user(self.env, "fx_shopper", groups="base.group_portal")
        self._login("fx_shopper")
        for page in CENTRE_PAGES[1:]:
            response = self.url_open(page)
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_fenxiao_join", response.text, page)
            self.assertNotIn(self.a1.referral_code, response.text)
        self.authenticate(None, None)
        response = self.url_open("/my/fenxiao")
        self.assertIn("/web/login", response.url, "anonymous visitors log in first")

    def test_malformed_parameters_never_fail(self):
        self._login("fx_portal_a1")
        urls = [
            "/my/fenxiao/team?level=abc",
            "/my/fenxiao/team?level=99999999999999999999",
            "/my/fenxiao/team/page/99999999",
            "/my/fenxiao/orders/page/0",
            "/my/fenxiao/commission?state=%27;drop&kind=%00&month=2026-13",
            "/my/fenxiao/commission?month=" + "9" * 5000,
            "/my/fenxiao/statement?date_from=yesterday&date_to=0001-01-01",
            "/my/fenxiao/statement?date_from=2026-12-01&date_to=2026-01-01",
            "/shop?order=name;DROP TABLE",
            "/shop?order=" + "x" * 3000,
            "/shop?brand=abc",
            "/shop?brand=1&brand=zz&brand=99999999999999999999",
            "/shop?min_price=abc&max_price=-5",
            "/shop?ppg=abc",
            "/shop?attribute_value=abc",
            "/shop?ref=%3Cscript%3E",
            "/shop?ref=" + "A" * 4000,
            "/shop/page/99999",
        ]
        for url in urls:
            response = self.url_open(url)
            self.assertLess(response.status_code, 500, url)
        # the same garbage posted to the forms: a message, never a server error
        bad_amounts = ["", "abc", "-5", "1e9", "10.001", "NaN", "9" * 400]
        for amount in bad_amounts:
            response = self._post(
                "/my/fenxiao/withdraw/request",
                {"amount": amount, "payout_account_id": self.account_a1.id},
            )
            self.assertEqual(response.status_code, 200, amount)
            self.assertIn("o_fenxiao_error", response.text, amount)
        for account_id in ["", "abc", "-1", "9" * 50]:
            response = self._post(
                "/my/fenxiao/withdraw/request", {"amount": "20", "payout_account_id": account_id}
            )
            self.assertIn("o_fenxiao_error", response.text, account_id)
        self.assertFalse(self.a1.withdrawal_ids)

    # ------------------------------------------------------------------
    # Forms
    # ------------------------------------------------------------------
    def test_withdraw_and_payout_accounts(self):
        self._earn()  # a1 now has 100.00 settled: payable
        self._login("fx_portal_a1")
        response = self._post(
            "/my/fenxiao/payout-account/add",
            {
                "method": "bank",
                "holder_name": "甲一",
                "account_number": "12ab",
                "bank_name": "工行",
            },
        )
        self.assertIn("o_fenxiao_error", response.text)
        response = self._post(
            "/my/fenxiao/payout-account/add",
            {"method": "alipay", "holder_name": "甲一", "account_number": "138 1234 9999"},
        )
        alipay = self.a1.payout_account_ids.filtered(lambda a: a.method == "alipay")
        self.assertEqual(alipay.account_number_masked, "138****9999")
        self.assertIn("138****9999", response.text)
        self.assertNotIn("13812349999", response.text)

        response = self._post(
            "/my/fenxiao/withdraw/request", {"amount": "30.50", "payout_account_id": alipay.id}
        )
        withdrawal = self.a1.withdrawal_ids
        self.assertEqual(len(withdrawal), 1)
        self.assertEqual(withdrawal.amount, 30.5)
        self.assertEqual(withdrawal.state, "requested")
        self.assertEqual(withdrawal.payout_account_id, alipay)
        self.assertIn(withdrawal.name, response.text)
        # more than what is left: refused with the reason
        response = self._post(
            "/my/fenxiao/withdraw/request", {"amount": "80", "payout_account_id": alipay.id}
        )
        self.assertIn("o_fenxiao_error", response.text)
        self.assertEqual(len(self.a1.withdrawal_ids), 1)

        self._post("/my/fenxiao/payout-account/remove", {"payout_account_id": alipay.id})
        self.assertFalse(alipay.active)

    def test_application(self):
        self.company.fenxiao_onboarding = "application"
        user = new_test_user(self.env, "fx_applicant", groups="base.group_portal")
        self._login("fx_applicant")
        self.assertIn("o_fenxiao_apply_form", self._get("/my/fenxiao"))
        response = self._post(
            "/my/fenxiao/apply", {"name": "张三", "mobile": "12345", "message": "你好"}
        )
        self.assertIn("alert-danger", response.text)
        self.assertFalse(user.partner_id.fenxiao_self_distributor_id)
        self._post(
            "/my/fenxiao/apply",
            {"name": "张三", "mobile": "139-1234-5678", "message": "我有 500 个微信好友"},
        )
        distributor = user.partner_id.fenxiao_self_distributor_id
        self.assertEqual(distributor.state, "applicant")
        self.assertEqual(user.partner_id.mobile, "13912345678")
        self.assertIn("我有 500 个微信好友", distributor.message_ids[:1].body)
        self.assertTrue(distributor.activity_ids, "a manager has a to-do to review it")
        page = self._get("/my/fenxiao")
        self.assertNotIn("o_fenxiao_apply_form", page)
        self.assertIn("fa-hourglass-half", page)
