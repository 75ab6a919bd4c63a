import secrets

from odoo.tests import HttpCase, new_test_user

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase

from .kuaidi100_simulator import Kuaidi100Simulator


class ParcelCase(FenxiaoCommissionCase, HttpCase):
    """The commission network, a Kuaidi100 simulator with keys made here, and
    a portal user who owns the customer's orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"mobile": "138 1234 5678"})
        cls.owner = new_test_user(
            cls.env, "fx_parcel_owner", groups="base.group_portal", partner_id=cls.customer.id
        )
        cls.zto = cls.env.ref("fenxiao_logistics.carrier_zhongtong")
        cls.sf = cls.env.ref("fenxiao_logistics.carrier_shunfeng")
        cls.kuaidi100_customer = secrets.token_hex(16).upper()
        cls.kuaidi100_key = secrets.token_urlsafe(12)
        cls.company.write(
            {
                "fenxiao_kuaidi100_customer": cls.kuaidi100_customer,
                "fenxiao_kuaidi100_key": cls.kuaidi100_key,
                "fenxiao_receipt_auto_days": 10,
            }
        )

    def setUp(self):
        super().setUp()
        self.simulator = Kuaidi100Simulator(self.kuaidi100_customer, self.kuaidi100_key).start()
        self.addCleanup(self.simulator.stop)
        self.company.fenxiao_kuaidi100_url = self.simulator.url
        # the server's requests come from the simulator, not url_open: flush first
        self.env.flush_all()

    def _shipped(self, number="ZT7300012345", carrier=None, when=None):
        """(order, picking): a paid order of one p100, shipped with ``carrier``
        (ZTO by default) and tracking ``number`` (False: without a parcel)."""
        order = self._paid_order(self.customer, [(self.p100, 1)])
        picking = order.picking_ids
        if number:
            picking.write(
                {"parcel_carrier_id": (carrier or self.zto).id, "carrier_tracking_ref": number}
            )
        self._deliver(order, when)
        self.env.flush_all()
        return order, picking

    def _events(self, picking):
        # the server's thread wrote them: read afresh
        picking.invalidate_recordset()
        return picking.parcel_event_ids
