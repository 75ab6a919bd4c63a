"""Forged notifications at once, each in a transaction of its own on a real
connection, committed, as requests are (and retried on a serialization
failure, as Odoo retries a request); what they commit is removed afterwards."""

import threading
from unittest.mock import patch

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

# a provider of its own: the committed rows are found and removed by it
PROVIDER = "fx_race_forged"
CONCURRENCY = 8


@tagged("post_install", "-at_install")
class TestRiskRaces(TransactionCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_events)
        # The test runner holds the registries' lock, which a new cursor's
        # environment takes (here, and in what runs after a commit, such as
        # the to-do's notification): released as HttpCase does
        # (Registry.enter_test_mode), but without its shared test cursor.
        self.startPatcher(patch.object(Registry, "_lock", DummyRLock()))

    def _remove_events(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM payment_risk_event WHERE provider_code = %s RETURNING id", [PROVIDER]
            )
            ids = tuple(row[0] for row in cr.fetchall()) or (0,)
            for table, model in (
                ("mail_activity", "res_model"),
                ("mail_message", "model"),
                ("mail_followers", "res_model"),
            ):
                cr.execute(
                    f"DELETE FROM {table} WHERE {model} = 'payment.risk.event' "  # noqa: S608
                    "AND res_id IN %s",
                    [ids],
                )

    def test_forged_notifications_at_once_are_one_event(self):
        barrier = threading.Barrier(CONCURRENCY)
        errors = []

        def run(n):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    cr.execute("SELECT 1")  # each snapshot starts before any insert
                    barrier.wait(10)
                    for _try in range(10):
                        try:
                            env["payment.risk.event"]._flag(
                                "bad_signature",
                                provider_code=PROVIDER,
                                ip_address=f"198.51.100.{n}",
                            )
                            env.flush_all()
                            cr.commit()  # pylint: disable=invalid-commit
                            break
                        except psycopg2.errors.SerializationFailure:
                            cr.rollback()
                            env.invalidate_all()
            except Exception as error:  # noqa: BLE001 — reported to the test
                errors.append(error)

        threads = [threading.Thread(target=run, args=(n,)) for n in range(CONCURRENCY)]
        with mute_logger("odoo.sql_db", "odoo.addons.payment_risk.models.payment_risk_event"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.assertFalse([thread for thread in threads if thread.is_alive()], "all done")
        self.assertFalse(errors)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id, occurrences FROM payment_risk_event WHERE provider_code = %s",
                [PROVIDER],
            )
            events = cr.fetchall()
            self.assertEqual(len(events), 1, "one event, however many at once")
            self.assertEqual(events[0][1], CONCURRENCY, "each one counted")
            cr.execute(
                "SELECT count(*) FROM mail_activity "
                "WHERE res_model = 'payment.risk.event' AND res_id = %s",
                [events[0][0]],
            )
            self.assertLessEqual(cr.fetchone()[0], 1, "one to-do at most")
