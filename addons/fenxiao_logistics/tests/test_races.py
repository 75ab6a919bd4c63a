"""Two confirmations of receipt at once, on two real database connections."""

from datetime import datetime

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.fenxiao_commission.tests.race import race


@tagged("post_install", "-at_install")
class TestReceiptRace(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            picking_type = env.ref("stock.picking_type_out")
            picking = env["stock.picking"].create(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": picking_type.default_location_src_id.id,
                    "location_dest_id": env.ref("stock.stock_location_customers").id,
                }
            )
            # a shipped delivery, without the stock moves this race does not need
            env.flush_all()
            cr.execute(
                "UPDATE stock_picking SET state = 'done', date_done = now() WHERE id = %s",
                [picking.id],
            )
            cls.picking_id = picking.id
        cls.addClassCleanup(cls._remove_data)

    @classmethod
    def _remove_data(cls):
        with cls.registry.cursor() as cr:
            cr.execute("DELETE FROM stock_picking WHERE id = %s", [cls.picking_id])

    def _race(self, first, second):
        """Mark received at ``first`` and at ``second`` in overlapping
        transactions, the second waiting for the first's row lock;
        {"first": ids marked, "second": ...}."""

        def mark(when):
            def func(env):
                picking = env["stock.picking"].browse(self.picking_id)
                return picking._parcel_mark_received(when).ids

            return func

        return race(self.registry, mark(first), mark(second), context={})[0]

    def test_two_confirmations_at_once_keep_the_first_date(self):
        first, second = datetime(2026, 11, 20, 8, 0), datetime(2026, 11, 20, 8, 1)
        results = self._race(first, second)
        self.assertEqual(results["first"], [self.picking_id])
        self.assertEqual(results["second"], [], "the second click marks nothing")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT parcel_received_date FROM stock_picking WHERE id = %s", [self.picking_id]
            )
            self.assertEqual(cr.fetchone()[0], first)
