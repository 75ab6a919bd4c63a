"""Two overlapping transactions on two real database connections.

Shared by the suite's race tests: each side is a request of its own (its own
cursor, committed at the end); the second takes its snapshot before the first
commits and then needs what the first has locked or written.
"""

import threading
import time

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.tools import mute_logger


def race(registry, first, second, context=None, wait=10):
    """Run ``first`` and ``second`` (each ``func(env)``) in overlapping
    transactions, with ``context`` (default: no tracking), waiting at most
    ``wait`` seconds for each other. Returns ({"first": result or exception,
    "second": ...}, {"first": retries, "second": retries})."""
    context = context or {"tracking_disable": True}
    first_done, first_may_commit = threading.Event(), threading.Event()
    results, retries = {}, {"first": 0, "second": 0}

    def run(name, func, before=None, after=None):
        try:
            with registry.cursor() as cr:
                # Odoo holds the registry lock while tests run: give the
                # cursor its transaction rather than look the registry up.
                cr.transaction = api.Transaction(registry)
                env = api.Environment(cr, SUPERUSER_ID, context)
                cr.execute("SELECT 1")  # the snapshot starts here
                if before:
                    before()
                # Retried on serialisation failures, as Odoo retries a
                # request (odoo.service.model.retrying, which needs the
                # registry lock that the test runner holds).
                for _try in range(5):
                    try:
                        result = func(env)
                        env.flush_all()
                        if after:
                            after()
                        cr.commit()  # pylint: disable=invalid-commit
                        results[name] = result
                        break
                    except psycopg2.errors.SerializationFailure:
                        retries[name] += 1
                        cr.rollback()
                        env.clear()
        except Exception as error:  # noqa: BLE001 — reported to the test
            results[name] = error

    def first_after():
        first_done.set()
        first_may_commit.wait(wait)

    threads = [
        threading.Thread(target=run, args=("first", first, None, first_after)),
        threading.Thread(target=run, args=("second", second, lambda: first_done.wait(wait))),
    ]
    with mute_logger("odoo.sql_db"):
        for thread in threads:
            thread.start()
        first_done.wait(wait)
        time.sleep(0.5)  # the second is now waiting for the first's lock
        first_may_commit.set()
        for thread in threads:
            thread.join(3 * wait)
    return results, retries
