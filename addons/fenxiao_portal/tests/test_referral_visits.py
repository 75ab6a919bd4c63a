from urllib.parse import urlencode

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

# what a browser sends when the shopper follows a link
NAVIGATION = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "none"}


@tagged("post_install", "-at_install")
class TestReferralVisits(HttpCase):
    """Link visits, the top of the funnel: one per browser session and link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Distributor = cls.env["fenxiao.distributor"]
        cls.distributor = Distributor.create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "访客计数"}).id,
                "state": "active",
            }
        )
        cls.other = Distributor.create(
            {"partner_id": cls.env["res.partner"].create({"name": "另一位"}).id, "state": "active"}
        )
        cls.Visit = cls.env["fenxiao.referral.visit"]

    def _visits(self, distributor=None):
        return self.Visit.search_count(
            [("distributor_id", "=", (distributor or self.distributor).id)]
        )

    def test_short_link_counts_once_per_session(self):
        code = self.distributor.referral_code
        for _reload in range(3):
            response = self.url_open(f"/r/{code}", headers=NAVIGATION)
            self.assertEqual(response.status_code, 200)
        self.assertEqual(self._visits(), 1)
        visit = self.Visit.search([("distributor_id", "=", self.distributor.id)])
        self.assertEqual(visit.landing_path, "/shop")
        # another distributor's link in the same session is another visit
        self.url_open(f"/r/{self.other.referral_code}?next=/shop/cart", headers=NAVIGATION)
        self.assertEqual(self._visits(self.other), 1)
        self.assertEqual(
            self.Visit.search([("distributor_id", "=", self.other.id)]).landing_path, "/shop/cart"
        )
        # a new browser (a new session) is a new visitor
        self.opener.cookies.clear()
        self.url_open(f"/r/{code}", headers=NAVIGATION)
        self.assertEqual(self._visits(), 2)

    def test_ref_parameter_counts_with_its_page(self):
        self.url_open(f"/shop?ref={self.distributor.referral_code}", headers=NAVIGATION)
        visit = self.Visit.search([("distributor_id", "=", self.distributor.id)])
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.landing_path, "/shop")

    def test_invalid_codes_count_nothing(self):
        before = self.Visit.search_count([])
        self.distributor.sudo()._set_state("suspended", "test")
        for path in (
            f"/r/{self.distributor.referral_code}",  # a suspended distributor's link
            "/r/NOSUCH99",
            "/r/" + "A" * 5000,
            "/r/%27%3B%20DROP%20TABLE%20fenxiao_referral_visit%3B--",
            "/r/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "/shop?ref=" + "%00" * 50,
        ):
            response = self.url_open(path, headers=NAVIGATION)
            self.assertLess(response.status_code, 500, path)
        self.assertEqual(self.Visit.search_count([]), before)

    def test_hostile_landing_path_is_cut_and_kept_as_text(self):
        landing = "/shop?search=" + "<script>" * 150
        url = f"/r/{self.distributor.referral_code}?{urlencode({'next': landing})}"
        response = self.url_open(url, headers=NAVIGATION)
        self.assertEqual(response.status_code, 200)
        visit = self.Visit.search([("distributor_id", "=", self.distributor.id)])
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.landing_path, landing[:200])

    def test_embedded_or_prefetched_link_is_no_visit(self):
        code = self.distributor.referral_code
        self.url_open(
            f"/r/{code}", headers={"Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"}
        )
        self.url_open(f"/r/{code}", headers={**NAVIGATION, "Sec-Purpose": "prefetch"})
        self.assertEqual(self._visits(), 0)

    def test_visits_are_history(self):
        visit = self.Visit._record(self.distributor, "/shop")
        with self.assertRaises(UserError):
            visit.write({"landing_path": "/elsewhere"})
        with self.assertRaises(UserError):
            visit.unlink()

    def test_only_distribution_managers_read_visits(self):
        self.Visit._record(self.distributor, "/shop")
        portal = new_test_user(
            self.env,
            "fx_visit_portal",
            groups="base.group_portal",
            partner_id=self.distributor.partner_id.id,
        )
        user = new_test_user(
            self.env, "fx_visit_user", groups="base.group_user,fenxiao.group_fenxiao_user"
        )
        manager = new_test_user(
            self.env, "fx_visit_manager", groups="base.group_user,fenxiao.group_fenxiao_manager"
        )
        for reader in (portal, user):
            with self.assertRaises(AccessError):
                self.Visit.with_user(reader).search_count([])
        self.assertEqual(
            self.Visit.with_user(manager).search_count(
                [("distributor_id", "=", self.distributor.id)]
            ),
            1,
        )
