"""Two confirmations of receipt at once, on two real database connections."""

import threading
import time
from datetime import datetime

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


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
        first_done, first_may_commit = threading.Event(), threading.Event()
        results = {}

        def run(name, when, before=None, after=None):
            try:
                with self.registry.cursor() as cr:
                    cr.transaction = api.Transaction(self.registry)
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    cr.execute("SELECT 1")  # the snapshot starts here
                    if before:
                        before()
                    for _try in range(5):  # retried as Odoo retries a request
                        try:
                            marked = env["stock.picking"].browse(self.picking_id)
                            marked = marked._parcel_mark_received(when)
                            if after:
                                after()
                            cr.commit()  # pylint: disable=invalid-commit
                            results[name] = marked.ids
                            break
                        except psycopg2.errors.SerializationFailure:
                            cr.rollback()
                            env.clear()
            except Exception as error:  # noqa: BLE001 - reported to the test
                results[name] = error

        def first_after():
            first_done.set()
            first_may_commit.wait(10)

        threads = [
            threading.Thread(target=run, args=("first", first, None, first_after)),
            threading.Thread(target=run, args=("second", second, lambda: first_done.wait(10))),
        ]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            first_done.wait(10)
            time.sleep(0.5)  # the second now waits for the first's lock
            first_may_commit.set()
            for thread in threads:
                thread.join(30)
        return results

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
