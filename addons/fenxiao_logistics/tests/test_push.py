import json

from odoo.tests import tagged
from odoo.tools import mute_logger

from .. import const
from .common import ParcelCase
from .kuaidi100_simulator import md5_upper

NUMBER = "ZT7300012345"
KEY = ("zhongtong", NUMBER)


@tagged("post_install", "-at_install")
class TestPush(ParcelCase):
    def setUp(self):
        super().setUp()
        self.order, self.picking = self._shipped(NUMBER)

    def _post(self, form):
        response = self.url_open(const.PUSH_ROUTE, data=form)
        return response.status_code, response.json()

    def test_signed_push_stores_each_event_once(self):
        status, answer = self.simulator.advance(
            NUMBER, "1", "【杭州西湖区】已揽收", "2026-11-27 18:30:00"
        )
        self.assertEqual(status, 200)
        self.assertEqual(answer, {"result": True, "returnCode": "200", "message": "成功"})
        older_form = self.simulator.push_form(KEY)
        self.simulator.advance(NUMBER, "0", "快件已到达【杭州转运中心】", "2026-11-28 09:00:00")
        self.simulator.advance(
            NUMBER, "5", "快件派送中，快递员 张三 13900000000", "2026-11-29 08:10:00"
        )
        events = self._events(self.picking)
        self.assertEqual(len(events), 3)
        self.assertEqual(self.picking.parcel_state, "5")
        # Kuaidi100 repeats a push it thinks was lost, and pushes arrive out of order
        self.assertEqual(self.simulator.push(KEY)[0], 200)
        self.assertEqual(
            self._post(older_form), (200, {"result": True, "returnCode": "200", "message": "成功"})
        )
        self.assertEqual(len(self._events(self.picking)), 3, "each event stored once")
        self.assertEqual(
            self.picking.parcel_state, "5", "the newest event decides, not the last push"
        )
        self.assertFalse(self.picking.parcel_received_date)

    def test_signed_for_marks_the_parcel_received_for_good(self):
        self.simulator.advance(NUMBER, "1", "已揽收", "2026-11-27 18:30:00")
        older_form = self.simulator.push_form(KEY)
        self.simulator.advance(NUMBER, "301", "您的快件已签收，签收人：本人", "2026-11-29 12:00:00")
        self._events(self.picking)
        self.assertEqual(self.picking.parcel_state, "3", "301 (本人签收) is 签收")
        self.assertEqual(str(self.picking.parcel_received_date), "2026-11-29 04:00:00")
        self._post(older_form)
        self._events(self.picking)
        self.assertEqual(self.picking.parcel_state, "3", "an older push does not take it back")
        self.assertEqual(str(self.picking.parcel_received_date), "2026-11-29 04:00:00")

    @mute_logger("odoo.addons.fenxiao_logistics.models.stock_picking")
    def test_forged_or_unknown_push_writes_nothing(self):
        self.simulator.events[KEY] = [self.simulator.event("3", "已签收", "2026-11-29 12:00:00")]
        forged = self.simulator.push_form(KEY, salt="guessed-salt")
        unsigned = {**self.simulator.push_form(KEY), "sign": ""}
        self.simulator.subscriptions[("zhongtong", "ZT0000000000")] = {
            "salt": self.simulator.subscriptions[KEY]["salt"]
        }
        unknown = self.simulator.push_form(("zhongtong", "ZT0000000000"))
        for name, form, status in (
            ("forged", forged, 403),
            ("unsigned", unsigned, 400),
            ("unknown number", unknown, 403),
        ):
            with self.subTest(name):
                code, answer = self._post(form)
                self.assertEqual(code, status)
                self.assertIs(answer["result"], False)
                self.assertEqual(answer["returnCode"], "500")
        self.assertFalse(self._events(self.picking))
        self.assertEqual(self.picking.parcel_state, "none")
        self.assertFalse(self.picking.parcel_received_date)

    @mute_logger(
        "odoo.addons.fenxiao_logistics.models.stock_picking",
        "odoo.addons.fenxiao_logistics.controllers.main",
    )
    def test_malformed_or_oversized_push_gets_a_clean_answer(self):
        salt = self.simulator.subscriptions[KEY]["salt"]

        def signed(param):
            return {"param": param, "sign": md5_upper(param + salt)}

        good = json.loads(
            self.simulator.push_form(
                KEY, events=[self.simulator.event("1", "已揽收", "2026-11-27 18:30:00")]
            )["param"]
        )
        bad_data = json.loads(json.dumps(good))
        bad_data["lastResult"]["data"] = "not a list"
        bad_time = json.loads(json.dumps(good))
        bad_time["lastResult"]["data"][0]["ftime"] = "yesterday"
        bad_time["lastResult"]["data"][0]["time"] = "yesterday"
        huge = json.loads(json.dumps(good))
        huge["lastResult"]["data"][0]["context"] = "很" * 300000
        cases = (
            ("not JSON", signed("{not json"), 400),
            ("no lastResult", signed('{"status": "polling"}'), 400),
            ("data not a list", signed(json.dumps(bad_data)), 400),
            ("bad time", signed(json.dumps(bad_time)), 400),
            ("oversized", signed(json.dumps(huge, ensure_ascii=False)), 400),
        )
        for name, form, status in cases:
            with self.subTest(name):
                code, answer = self._post(form)
                self.assertEqual(code, status)
                self.assertIs(answer["result"], False)
        self.assertFalse(self._events(self.picking))
        self.assertEqual(self.picking.parcel_state, "none")
