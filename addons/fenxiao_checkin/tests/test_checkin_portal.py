from freezegun import freeze_time

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import FenxiaoCheckinCase


@tagged("post_install", "-at_install")
class TestCheckinPortal(FenxiaoCheckinCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="fx_checkin_portal", groups="base.group_portal", name="签到用户"
        )

    def _post(self, data):
        return self.url_open(
            "/my/checkin", data=data, headers={"Accept": "application/json"}, allow_redirects=False
        )

    def test_portal_user_checks_in_once_by_the_route(self):
        self.authenticate("fx_checkin_portal", "fx_checkin_portal")
        home = self.url_open("/my")
        self.assertIn('id="fenxiao_checkin_card"', home.text)
        self.assertIn('action="/my/checkin"', home.text)
        # without the CSRF token: refused, nothing written
        with mute_logger("odoo.http"):
            response = self._post({"streak": "99"})
        self.assertEqual(response.status_code, 400)
        partner = self.portal_user.partner_id
        self.assertFalse(self.Checkin.search([("partner_id", "=", partner.id)]))
        token = http.Request.csrf_token(self)
        response = self._post({"csrf_token": token})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {"enabled": True, "checked_in": True, "points": 5.0, "streak": 1, "balance": 5.0},
        )
        # a second tap: no new points
        again = self._post({"csrf_token": token}).json()
        self.assertFalse(again["checked_in"])
        self.assertEqual((again["points"], again["balance"]), (0.0, 5.0))
        self.assertEqual(self._card(partner).points, 5)
        home = self.url_open("/my")
        self.assertNotIn('action="/my/checkin"', home.text)

    def test_form_post_goes_back_to_the_account_page(self):
        self.authenticate("fx_checkin_portal", "fx_checkin_portal")
        response = self.url_open(
            "/my/checkin",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))

    def test_public_user_sent_to_login(self):
        self.authenticate(None, None)
        response = self.url_open(
            "/my/checkin",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_no_card_when_check_in_is_off(self):
        self.company.fenxiao_checkin_program_id = False
        self.authenticate("fx_checkin_portal", "fx_checkin_portal")
        self.assertNotIn('id="fenxiao_checkin_card"', self.url_open("/my").text)

    def test_portal_user_cannot_read_checkins_directly(self):
        with freeze_time("2026-03-11 04:00:00"):
            self._check_in(self.portal_user.partner_id)
        Checkin = self.env["fenxiao.checkin"].with_user(self.portal_user)
        self.assertFalse(Checkin.has_access("read"))

    def test_card_in_chinese(self):
        self.portal_user.lang = "zh_CN"
        self.authenticate("fx_checkin_portal", "fx_checkin_portal")
        home = self.url_open("/my").text
        self.assertIn("签到领积分", home)
        self.assertIn("已连续签到", home)
