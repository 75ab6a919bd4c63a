from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ParcelCase


@tagged("post_install", "-at_install")
class TestCommissionFreeze(ParcelCase):
    """fenxiao_commission freezes commission for 7 days (the tests' setting)
    after the after-sales window starts: for a tracked parcel, at receipt."""

    def _states(self, order):
        order.invalidate_recordset()
        return set(order.fenxiao_commission_line_ids.mapped("state"))

    def test_commission_stays_frozen_until_receipt_then_the_freeze_days(self):
        now = fields.Datetime.now()
        order, picking = self._shipped(when=now - timedelta(days=30))
        Line = self.env["fenxiao.commission.line"]
        self.assertEqual(self._states(order), {"frozen"})
        Line._cron_release()
        self.assertEqual(self._states(order), {"frozen"}, "shipped long ago, not received")
        picking._parcel_mark_received(now - timedelta(days=2))
        Line._cron_release()
        self.assertEqual(self._states(order), {"frozen"}, "received 2 days ago")
        with freeze_time(now + timedelta(days=5, hours=1)):
            Line._cron_release()
        self.assertEqual(self._states(order), {"available"}, "7 days after receipt")

    def test_online_paid_order_waits_for_its_parcel(self):
        order, tx = self._online_paid_quotation()
        report = type(self.env["ir.actions.report"])
        with (
            patch.object(report, "_render_qweb_pdf", side_effect=UserError("no PDF here")),
            patch.object(type(tx), "_create_payment"),  # no journal for this test provider
            mute_logger("odoo.addons.fenxiao.models.sale_order"),
        ):
            tx._post_process()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._states(order), {"frozen"})
        picking = order.picking_ids
        picking.write({"parcel_carrier_id": self.zto.id, "carrier_tracking_ref": "ZT7300077777"})
        self._deliver(order, fields.Datetime.now() - timedelta(days=20))
        self.env["fenxiao.commission.line"]._cron_release()
        self.assertEqual(self._states(order), {"frozen"})
        self.env["stock.picking"]._cron_parcel_auto_receive()
        self.assertTrue(picking.parcel_received_date, "auto-confirmed after 10 days")
        with freeze_time(fields.Datetime.now() + timedelta(days=8)):
            self.env["fenxiao.commission.line"]._cron_release()
        self.assertEqual(self._states(order), {"available"})

    def test_delivery_without_a_parcel_counts_from_shipping(self):
        order, _picking = self._shipped(False, when=fields.Datetime.now() - timedelta(days=8))
        self.env["fenxiao.commission.line"]._cron_release()
        self.assertEqual(self._states(order), {"available"})
