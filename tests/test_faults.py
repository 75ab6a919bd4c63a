"""Faults: the Odoo server killed in the middle of money, then restarted.

A real server (two HTTP workers, a cron worker) runs on a throwaway copy of
the test database, with the WeChat Pay simulator as the gateway. To stop a
request *in the middle*, a separate connection holds a row lock on a row the
request needs late in its work, so the request blocks inside its transaction;
then the server's whole process group gets SIGKILL, the lock is released, the
server is started again and the outside world replays what it replays in
life: WeChat Pay re-sends a notification until it gets a 2xx, the scheduled
action runs again, a manager clicks Pay again. Then: nothing lost, nothing
doubled, every entry balanced.

No fault-injection hook lives in the production code: the locks are plain
``SELECT ... FOR UPDATE`` and the gateway's delay is the simulator's.

Run by scripts/test (pytest over tests/) on the database it builds; about two
minutes, most of it the server starting five times.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import timedelta

import psycopg2
import pytest
import requests

import odoo
from odoo.modules.registry import Registry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import fenxiao_env  # noqa: E402

from odoo.addons.payment_wechatpay.tests.wechatpay_simulator import (  # noqa: E402
    WeChatPaySimulator,
    new_apiv3_key,
    new_merchant_certificate_serial,
    new_rsa_key,
)

MCH_ID = "1900000109"
APP_ID = "wx8888888888888888"
ADMIN = ("admin", "admin")
WAIT = 90  # seconds: a server start on a busy machine, a cron run


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connect(dbname, autocommit=True):
    params = {"dbname": dbname}
    for key in ("host", "port", "user", "password"):
        value = odoo.tools.config[f"db_{key}"]
        if value:
            params[key] = value
    conn = psycopg2.connect(**params)
    conn.autocommit = autocommit
    return conn


class Server:
    """One Odoo server process group on the copy, killed or stopped at will."""

    def __init__(self, dbname, workdir):
        self.dbname = dbname
        self.port = int(os.environ.get("FENXIAO_FAULTS_PORT") or free_port())
        self.gevent_port = free_port()
        self.log = os.path.join(workdir, "odoo.log")
        self.process = None
        self.starts = 0

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        command = fenxiao_env.odoo_command(
            self.dbname,
            "--db-filter",
            f"^{self.dbname}$",
            "--http-port",
            str(self.port),
            "--gevent-port",
            str(self.gevent_port),
            "--workers",
            "2",
            "--max-cron-threads",
            "1",
            "--logfile",
            self.log,
        )
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=dict(os.environ, TZ="UTC"), start_new_session=True
        )
        self.starts += 1
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server stopped, see {self.log}"
            try:
                with urllib.request.urlopen(self.url + "/web/health", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"the server did not answer within {WAIT} s, see {self.log}")

    def kill(self):
        """SIGKILL to the master, its workers and its cron worker at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class Manager:
    """A back-office manager's browser session (JSON-RPC), kept across restarts."""

    def __init__(self, server):
        self.server = server
        self.http = requests.Session()

    def sign_in(self):
        answer = self.rpc(
            "/web/session/authenticate",
            {"db": self.server.dbname, "login": ADMIN[0], "password": ADMIN[1]},
        )
        assert answer.get("result", {}).get("uid"), answer

    def rpc(self, path, params, timeout=60):
        answer = self.http.post(
            self.server.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=timeout,
        )
        return answer.json()

    def call(self, model, method, ids, *args, timeout=60):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": [ids, *args], "kwargs": {}},
            timeout=timeout,
        )


class RowLock:
    """A row held FOR UPDATE by another connection, and the request it stops."""

    def __init__(self, dbname, table, row_id):
        self.conn = connect(dbname, autocommit=False)
        self.cr = self.conn.cursor()
        self.cr.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", [row_id])  # noqa: S608
        assert self.cr.fetchone(), (table, row_id)
        self.cr.execute("SELECT pg_backend_pid()")
        self.pid = self.cr.fetchone()[0]
        self.blocked = None

    def wait_blocked(self, watcher):
        """The backend of the request waiting for this lock, inside its transaction."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            watcher.execute(
                "SELECT pid, xact_start IS NOT NULL FROM pg_stat_activity "
                "WHERE %s = ANY(pg_blocking_pids(pid))",
                [self.pid],
            )
            row = watcher.fetchone()
            if row:
                self.blocked = row[0]
                return row
            time.sleep(0.1)
        raise AssertionError("no request reached the locked row")

    def release(self, watcher):
        """Release the lock, then wait for the killed request's backend to end:
        its transaction is rolled back, never committed."""
        self.conn.rollback()
        self.conn.close()
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            watcher.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [self.blocked])
            if not watcher.fetchone():
                return
            time.sleep(0.1)
        raise AssertionError("the killed request's backend is still there")


class Faults:
    """The copy, the simulator, the server and a connection to look with."""

    def __init__(self, source):
        self.source = source
        self.dbname = f"{source}_faults"
        self.workdir = tempfile.mkdtemp(prefix="fenxiao-faults-")
        self.simulator = None
        self.server = None
        self.conn = None

    # -- set-up ---------------------------------------------------------------------------
    def copy_database(self):
        odoo.sql_db.close_db(self.source)
        drop(self.dbname)
        conn = connect("postgres")
        try:
            with conn.cursor() as cr:
                for _attempt in range(20):
                    try:
                        cr.execute(f'CREATE DATABASE "{self.dbname}" TEMPLATE "{self.source}"')
                        break
                    except psycopg2.errors.ObjectInUse:  # a pooled connection closing
                        odoo.sql_db.close_db(self.source)
                        time.sleep(0.5)
                else:
                    raise AssertionError(f"{self.source} stayed in use: cannot copy it")
        finally:
            conn.close()
        filestore = odoo.tools.config.filestore(self.source)
        if os.path.isdir(filestore):
            shutil.copytree(filestore, odoo.tools.config.filestore(self.dbname))

    def prepare(self):
        """In the copy: WeChat Pay against the simulator, scheduled actions run
        only when triggered, settlement by month (last month is not settled
        yet), an order waiting for its payment and a withdrawal approved."""
        private, public = new_rsa_key()
        serial, apiv3_key = new_merchant_certificate_serial(), new_apiv3_key()
        self.simulator = WeChatPaySimulator(MCH_ID, APP_ID, public, serial, apiv3_key).start()
        # pytest-odoo runs with test_enable: loading a registry would look for tests
        config = odoo.tools.config
        test_enable, config["test_enable"] = config["test_enable"], False
        try:
            registry = Registry(self.dbname)
        finally:
            config["test_enable"] = test_enable
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            env["ir.config_parameter"].set_param("web.base.url", self.server.url)
            env["ir.config_parameter"].set_param("web.base.url.freeze", "True")
            env["ir.cron"].search([]).write({"nextcall": "2100-01-01 00:00:00"})
            provider = env.ref("payment_wechatpay.payment_provider_wechatpay")
            provider.write(
                {
                    "wechatpay_mch_id": MCH_ID,
                    "wechatpay_app_id": APP_ID,
                    "wechatpay_serial_no": serial,
                    "wechatpay_private_key": private,
                    "wechatpay_apiv3_key": apiv3_key,
                    "wechatpay_public_key": self.simulator.platform_public_key,
                    "wechatpay_public_key_id": self.simulator.public_key_id,
                    "wechatpay_gateway_url": self.simulator.base_url,
                    "wechatpay_transfer_enabled": True,
                    "state": "test",
                }
            )
            company = env.ref("base.main_company")
            company.fenxiao_settlement_period = "monthly"
            shopper = env["res.users"].search([("login", "=", "shopper")]).partner_id
            assert shopper.fenxiao_distributor_id, "the demo shopper is bound to a distributor"
            order = env["sale.order"].create(
                {
                    "partner_id": shopper.id,
                    "order_line": [
                        odoo.Command.create(
                            {"product_id": env.ref("fenxiao_demo.product_ys_cream").id}
                        ),
                    ],
                }
            )
            tx = env["payment.transaction"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": env.ref("payment.payment_method_wechat_pay").id,
                    "reference": "FAULTS-PAY-1",
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": shopper.id,
                    "operation": "online_redirect",
                    "sale_order_ids": [odoo.Command.set(order.ids)],
                }
            )
            tx._get_specific_rendering_values({})  # the order opened at WeChat Pay
            withdrawal = env["fenxiao.withdrawal"].search(
                [("method", "=", "wechat"), ("state", "=", "requested")], limit=1
            )
            assert withdrawal, "the demo has a withdrawal to a WeChat wallet waiting"
            withdrawal.with_user(env.ref("base.user_admin")).action_approve()
            self.order_id, self.tx_id, self.withdrawal_id = order.id, tx.id, withdrawal.id
            self.withdrawal_name = withdrawal.name
            self.period = company._fenxiao_last_closed_period()
            self.cron_ids = {
                name: env.ref(xmlid).id
                for name, xmlid in (
                    ("post_process", "payment.cron_post_process_payment_tx"),
                    ("settle", "fenxiao_commission.ir_cron_fenxiao_commission_settle"),
                    ("sync", "fenxiao_payout_wechatpay.ir_cron_wechatpay_sync_transfers"),
                )
            }
            cr.commit()
        Registry.delete(self.dbname)
        self.conn = connect(self.dbname)
        self.cr = self.conn.cursor()

    # -- the outside world ----------------------------------------------------------------
    def one(self, query, params=()):
        self.cr.execute(query, params)
        return self.cr.fetchone()

    def trigger(self, cron):
        """What ``ir.cron._trigger`` does, from outside: a trigger row and a NOTIFY."""
        self.cr.execute(
            "INSERT INTO ir_cron_trigger (cron_id, call_at, create_date, write_date) "
            "VALUES (%s, now() at time zone 'UTC', now() at time zone 'UTC', "
            "now() at time zone 'UTC')",
            [self.cron_ids[cron]],
        )
        with contextlib.closing(connect("postgres")) as conn, conn.cursor() as cr:
            cr.execute("NOTIFY cron_trigger, %s", [self.dbname])

    def wait_for(self, query, params=(), what="it"):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            row = self.one(query, params)
            if row and row[0]:
                return row
            time.sleep(0.3)
        raise AssertionError(f"waited {WAIT} s for {what}, see {self.server.log}")

    def crash_while(self, table, row_id, start_request):
        """Lock the row, start the request, SIGKILL the server once the request
        waits for the row inside its transaction, release, start the server again."""
        lock = RowLock(self.dbname, table, row_id)
        worker = threading.Thread(target=quietly(start_request), daemon=True)
        worker.start()
        _pid, in_transaction = lock.wait_blocked(self.cr)
        assert in_transaction
        self.server.kill()
        lock.release(self.cr)
        worker.join(30)
        self.server.start()

    def balanced(self, move_ids):
        """(unbalanced, not posted) counts among ``move_ids``."""
        return self.one(
            """
            SELECT count(*) FILTER (WHERE NOT balanced), count(*) FILTER (WHERE state != 'posted')
              FROM (SELECT m.id, m.state,
                           round(sum(l.debit), 2) = round(sum(l.credit), 2) AS balanced
                      FROM account_move m JOIN account_move_line l ON l.move_id = m.id
                     WHERE m.id = ANY(%s) GROUP BY m.id, m.state) x
            """,
            [list(move_ids)],
        )

    def close(self):
        if self.server:
            self.server.stop()
        if self.conn:
            self.conn.close()
        if self.simulator:
            self.simulator.stop()
        drop(self.dbname)
        shutil.rmtree(self.workdir, ignore_errors=True)


def quietly(request):
    """``request`` run in a thread whose connection the kill cuts: no answer is the point."""

    def run():
        with contextlib.suppress(requests.RequestException):
            request()

    return run


def drop(dbname):
    conn = connect("postgres")
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [dbname],
            )
            cr.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
    finally:
        conn.close()
    shutil.rmtree(odoo.tools.config.filestore(dbname), ignore_errors=True)


@pytest.fixture(scope="module")
def faults():
    harness = Faults(odoo.tools.config["db_name"])
    try:
        harness.copy_database()
        harness.server = Server(harness.dbname, harness.workdir)
        harness.prepare()
        harness.server.start()
        yield harness
    finally:
        harness.close()


def test_payment_notification_and_its_processing_survive_a_kill(faults):
    sim, tx_id, order_id = faults.simulator, faults.tx_id, faults.order_id
    statuses = []

    # 1. killed while the notification writes the transaction: nothing kept,
    # WeChat Pay got no answer and sends it again
    faults.crash_while(
        "payment_transaction", tx_id, lambda: statuses.append(sim.pay("FAULTS-PAY-1"))
    )
    assert statuses == [None], "the killed request answered nothing"
    assert faults.one("SELECT state FROM payment_transaction WHERE id = %s", [tx_id]) == ("draft",)
    assert sim.notify_transaction("FAULTS-PAY-1") == 204
    assert sim.notify_transaction("FAULTS-PAY-1") == 204, "a repeat is answered too"
    assert faults.one("SELECT state FROM payment_transaction WHERE id = %s", [tx_id]) == ("done",)

    # 2. killed while the payment is post-processed: the order was confirmed
    # and the commission earned in the transaction, which stops on the
    # transaction's row (is_post_processed, written last)
    faults.crash_while("payment_transaction", tx_id, lambda: faults.trigger("post_process"))
    assert faults.one(
        "SELECT state, fenxiao_paid_date FROM sale_order WHERE id = %s", [order_id]
    ) == ("draft", None)
    assert faults.one(
        "SELECT count(*) FROM fenxiao_commission_line WHERE order_id = %s", [order_id]
    ) == (0,)
    faults.trigger("post_process")  # the scheduled action runs again
    faults.wait_for(
        "SELECT is_post_processed FROM payment_transaction WHERE id = %s",
        [tx_id],
        "the payment's processing",
    )
    faults.trigger("post_process")  # and again: nothing more
    time.sleep(2)
    assert faults.one(
        "SELECT state, fenxiao_paid_date IS NOT NULL FROM sale_order WHERE id = %s", [order_id]
    ) == ("sale", True)
    count, levels, total = faults.one(
        "SELECT count(*), count(DISTINCT (order_line_id, level)), sum(amount) "
        "FROM fenxiao_commission_line WHERE order_id = %s AND kind = 'commission'",
        [order_id],
    )
    assert count > 0, "the distributor earned on the order"
    assert count == levels, "one commission line per order line and level"
    expected = faults.one(
        "SELECT round(sum(amount_untaxed), 2) FROM sale_order WHERE id = %s", [order_id]
    )[0]
    assert 0 < total < expected
    assert faults.one(
        "SELECT count(*) FROM payment_transaction WHERE reference = 'FAULTS-PAY-1' "
        "AND state = 'done'"
    ) == (1,)


def test_settlement_killed_midway_settles_the_period_once(faults):
    date_from, date_to = faults.period
    end = date_to + timedelta(days=1)
    # what last month owes: commission that became available in it
    faults.cr.execute(
        "UPDATE fenxiao_commission_line SET state = 'available', available_date = %s "
        "WHERE state = 'frozen' AND company_id = (SELECT min(id) FROM res_company) "
        "AND id IN (SELECT id FROM fenxiao_commission_line WHERE state = 'frozen' "
        "ORDER BY id LIMIT 5)",
        [date_to],
    )
    due, due_total = faults.one(
        "SELECT count(*), sum(amount) FROM fenxiao_commission_line "
        "WHERE state = 'available' AND available_date < %s AND held IS NOT TRUE",
        [end],
    )
    assert due >= 5
    last_line = faults.one(
        "SELECT max(id) FROM fenxiao_commission_line "
        "WHERE state = 'available' AND available_date < %s",
        [end],
    )[0]

    # killed while marking the lines settled: the settlement row is created
    # and lines are marked in the transaction, the last one is locked
    faults.crash_while("fenxiao_commission_line", last_line, lambda: faults.trigger("settle"))
    period = "SELECT count(*) FROM fenxiao_commission_settlement WHERE date_to = %s"
    assert faults.one(period, [date_to]) == (0,)
    faults.trigger("settle")  # the scheduled action runs again
    faults.wait_for(period, [date_to], "the settlement")
    faults.trigger("settle")  # and once more: the period is settled already
    time.sleep(3)
    assert faults.one(period, [date_to]) == (1,)
    settlement_id, line_count, amount_total, move_id = faults.one(
        "SELECT id, line_count, amount_total, move_id FROM fenxiao_commission_settlement "
        "WHERE date_to = %s",
        [date_to],
    )
    assert line_count == due
    assert round(amount_total, 2) == round(due_total, 2)
    assert faults.one(
        "SELECT count(*), sum(amount) FROM fenxiao_commission_line WHERE settlement_id = %s",
        [settlement_id],
    ) == (due, due_total)
    assert faults.balanced([move_id]) == (0, 0)
    credit = faults.one("SELECT sum(credit) FROM account_move_line WHERE move_id = %s", [move_id])
    assert round(credit[0], 2) == round(due_total, 2)


def test_payout_killed_before_and_after_the_gateway_pays_once(faults):
    sim, withdrawal_id = faults.simulator, faults.withdrawal_id
    manager = Manager(faults.server)
    manager.sign_in()
    state = "SELECT state FROM fenxiao_withdrawal WHERE id = %s"

    # 1. killed before the transfer is sent: the withdrawal's row is locked
    faults.crash_while(
        "fenxiao_withdrawal",
        withdrawal_id,
        lambda: manager.call("fenxiao.withdrawal", "action_payout", [withdrawal_id]),
    )
    assert faults.one(state, [withdrawal_id]) == ("approved",)
    assert sim.transfers == {}, "nothing reached WeChat Pay"

    # 2. killed after WeChat Pay accepted the transfer, before Odoo commits:
    # the gateway records the bill and holds its answer until the server is dead
    accepted, hold = threading.Event(), threading.Event()
    real_handle_api = sim.handle_api

    def handle_api(method, raw_path, text, headers):
        answer = real_handle_api(method, raw_path, text, headers)
        if method == "POST" and raw_path.endswith("/transfer-bills"):
            accepted.set()
            hold.wait(WAIT)
        return answer

    sim.handle_api = handle_api
    paying = threading.Thread(
        target=quietly(
            lambda: manager.call("fenxiao.withdrawal", "action_payout", [withdrawal_id])
        ),
        daemon=True,
    )
    paying.start()
    assert accepted.wait(WAIT), "the transfer reached WeChat Pay"
    faults.server.kill()
    sim.handle_api = real_handle_api
    hold.set()
    paying.join(30)
    assert len(sim.transfers) == 1
    (bill_no,) = sim.transfers
    faults.server.start()
    # nothing of the request was kept but its payout attempt (committed apart;
    # the sync cron asks WeChat Pay about it only once it is 10 minutes old):
    # the manager sees it approved; rejecting it would give the amount back
    # while the money is on its way: refused
    assert faults.one(state, [withdrawal_id]) == ("approved",)
    answer = manager.call("fenxiao.withdrawal", "action_reject", [withdrawal_id], "no")
    assert bill_no in answer["error"]["data"]["message"], answer
    assert faults.one(state, [withdrawal_id]) == ("approved",)
    # so the manager pays again
    answer = manager.call("fenxiao.withdrawal", "action_payout", [withdrawal_id])
    assert "error" not in answer, answer
    assert faults.one(
        "SELECT state, wechatpay_out_bill_no FROM fenxiao_withdrawal WHERE id = %s",
        [withdrawal_id],
    ) == ("paying", bill_no)
    posts = [
        json.loads(body)["out_bill_no"]
        for method, path, body in sim.received
        if method == "POST" and path.endswith("/transfer-bills")
    ]
    assert posts == [bill_no, bill_no], "sent again with the same out_bill_no"
    assert len(sim.transfers) == 1, "WeChat Pay pays one bill"

    # the distributor accepts it in WeChat: the notification pays it out once
    assert sim.finish_transfer(bill_no) == 204
    assert sim.finish_transfer(bill_no) == 204
    faults.trigger("sync")
    time.sleep(3)
    assert faults.one(state, [withdrawal_id]) == ("paid",)
    payments = faults.one(
        "SELECT count(*), array_agg(move_id) FROM account_payment WHERE memo = %s",
        [faults.withdrawal_name],
    )
    assert payments[0] == 1
    assert faults.balanced(payments[1]) == (0, 0)


def test_entries_balanced_after_the_faults(faults):
    """Nothing half-written anywhere: every posted entry of the copy balances."""
    assert faults.server.starts == 6
    assert faults.one(
        """
        SELECT count(*) FROM (
            SELECT m.id FROM account_move m JOIN account_move_line l ON l.move_id = m.id
             WHERE m.state = 'posted' GROUP BY m.id
            HAVING round(sum(l.debit), 2) != round(sum(l.credit), 2)) x
        """
    ) == (0,)
