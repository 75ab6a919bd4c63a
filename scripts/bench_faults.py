"""PostgreSQL restarted under load, run by scripts/bench (``--faults``).

One Odoo server with two HTTP workers on a throwaway copy of the bench
database, a few shopper threads asking for the shop's pages on the loopback
(bounded in count and time), and, in the middle, PostgreSQL restarted in
fast mode (``pg_ctlcluster ... restart -m fast``): every connection of every
worker is cut. Nobody acts afterwards. The bench measures the requests that
failed, the seconds until the server answers again, and that no worker is
left broken: once it answers, every request succeeds.

WARNING: the restart cuts every client of this PostgreSQL, other people's
tests included. It is only in scripts/bench, never in scripts/test, and
refuses a PostgreSQL that is not local or that pg_ctlcluster does not manage.

The kills of the server in the middle of money are in tests/test_faults.py
(scripts/test runs them).
"""

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request

import fenxiao_env

HTTP_PORT = 8430
GEVENT_PORT = 8431
WORKERS = 2
SHOPPERS = 4
WARM_UP_S = 5  # load before the restart
AFTER_S = 25  # load after the restart began
MAX_REQUESTS = 4000  # per run, whatever the time
PAGES = ("/shop", "/", "/shop/cart", "/web/login")
# every request of the last seconds of load must succeed: no worker left broken
TAIL_S = 10


def clusters():
    """(version, name) of the local clusters pg_ctlcluster manages."""
    if not shutil.which("pg_ctlcluster") or not os.path.isdir("/etc/postgresql"):
        return []
    found = []
    for version in sorted(os.listdir("/etc/postgresql")):
        for name in sorted(os.listdir(os.path.join("/etc/postgresql", version))):
            found.append((version, name))
    return found


def restart_postgresql(version, name):
    """Restart the cluster in fast mode; seconds pg_ctlcluster took.

    A checkpoint first, so that the shutdown's own checkpoint has little left
    to write and the outage is the restart's, not the disk's."""
    conn = fenxiao_env.connect()
    try:
        with conn.cursor() as cr:
            cr.execute("CHECKPOINT")
    finally:
        conn.close()
    start = time.perf_counter()
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            version,
            name,
            "restart",
            "-m",
            "fast",
        ],
        check=True,
        timeout=60,
    )
    return time.perf_counter() - start


class Load:
    """Shopper threads recording (start, end, ok) of every request."""

    def __init__(self, base):
        self.base = base
        self.results = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def shopper(self, index):
        page = index
        while not self.stop.is_set():
            with self.lock:
                if len(self.results) >= MAX_REQUESTS:
                    return
            url = self.base + PAGES[page % len(PAGES)]
            page += 1
            start = time.monotonic()
            try:
                with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310
                    answer.read()
                    ok = answer.status == 200
            except OSError:
                ok = False
            with self.lock:
                self.results.append((start, time.monotonic(), ok))
            if not ok:
                time.sleep(0.05)  # a shopper tapping again, not a flood

    def run(self, seconds_before, seconds_after, action):
        threads = [
            threading.Thread(target=self.shopper, args=(i,), daemon=True) for i in range(SHOPPERS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(seconds_before)
        began = time.monotonic()
        action_s = action()
        remaining = seconds_after - (time.monotonic() - began)
        time.sleep(max(remaining, 0))
        self.stop.set()
        for thread in threads:
            thread.join(60)
        return began, action_s


def figures(results, began):
    """What the restart cost, from the requests' records (start, end, ok)."""
    results = sorted(results)
    before = [r for r in results if r[1] < began]
    during = [r for r in results if r[1] >= began]
    last_failure = max((end for _start, end, ok in during if not ok), default=began)
    # back: the first success of a request sent after the last failure
    recovered = min(
        (end for start, end, ok in during if ok and start >= last_failure), default=None
    )
    # no worker left broken: the last TAIL_S seconds of load all answered
    tail = [r for r in during if r[0] >= began + AFTER_S - TAIL_S]
    return {
        "before": len(before),
        "before_failed": sum(1 for r in before if not r[2]),
        "during": len(during),
        "failed": sum(1 for r in during if not r[2]),
        "recovered_s": None if recovered is None else recovered - began,
        "last_failure_s": last_failure - began,
        "tail": len(tail),
        "tail_failed": sum(1 for r in tail if not r[2]),
    }


def start_server(dbname, workdir):
    log = os.path.join(workdir, "odoo.log")
    command = fenxiao_env.odoo_command(
        dbname,
        "--db-filter",
        f"^{dbname}$",
        "--http-port",
        str(HTTP_PORT),
        "--gevent-port",
        str(GEVENT_PORT),
        "--workers",
        str(WORKERS),
        "--max-cron-threads",
        "1",
        "--logfile",
        log,
    )
    process = subprocess.Popen(  # noqa: S603
        command, cwd=fenxiao_env.ROOT, env=dict(os.environ, TZ="UTC"), start_new_session=True
    )
    return process, log


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run(dbname):
    """The faults section: returns True when the server recovered by itself."""
    from bench_cluster import wait_for  # noqa: PLC0415
    from bench_commission import copy_database  # noqa: PLC0415

    config = fenxiao_env.odoo_config()
    if config["db_host"] not in (False, None, "", "localhost", "127.0.0.1"):
        fenxiao_env.fail("--faults restarts a local PostgreSQL only (db_host is set)")
    local = clusters()
    if len(local) != 1:
        fenxiao_env.fail(
            f"--faults needs exactly one local cluster managed by pg_ctlcluster, found {local}"
        )
    for port in (HTTP_PORT, GEVENT_PORT):
        fenxiao_env.check_port(port)
    work = copy_database(dbname, f"{dbname}_faults")
    shutil.copytree(config.filestore(dbname), config.filestore(work), dirs_exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="fenxiao-faults-")
    process, log = start_server(work, workdir)
    ok = False
    try:
        wait_for(f"http://127.0.0.1:{HTTP_PORT}/web/health")
        for page in PAGES:  # the assets and caches of each page once
            with urllib.request.urlopen(f"http://127.0.0.1:{HTTP_PORT}{page}", timeout=120):  # noqa: S310
                pass
        load = Load(f"http://127.0.0.1:{HTTP_PORT}")
        began, restart_s = load.run(WARM_UP_S, AFTER_S, lambda: restart_postgresql(*local[0]))
        result = figures(load.results, began)
        ok = (
            result["before_failed"] == 0
            and result["recovered_s"] is not None
            and result["tail"] > 0
            and result["tail_failed"] == 0
            and process.poll() is None
        )
        print(f"{'faults: PostgreSQL restarted (fast) under load':72} {'result':>10}")
        rows = [
            (f"shoppers, requests before the restart ({SHOPPERS} threads)", result["before"]),
            ("  of which failed", result["before_failed"]),
            ("pg_ctlcluster restart -m fast, s", f"{restart_s:.1f}"),
            ("requests from the restart on", result["during"]),
            ("  failed (no answer or not 200)", result["failed"]),
            (
                "server answers again by itself after, s",
                "never" if result["recovered_s"] is None else f"{result['recovered_s']:.1f}",
            ),
            ("last failure after the restart began, s", f"{result['last_failure_s']:.1f}"),
            (f"requests in the last {TAIL_S} s of load", result["tail"]),
            ("  of which failed (a worker left broken)", result["tail_failed"]),
            ("server still running, nobody acted", "yes" if process.poll() is None else "no"),
        ]
        for label, value in rows:
            print(f"  {label:70} {value!s:>10}")
        return ok
    finally:
        stop_server(process)
        fenxiao_env.import_odoo().sql_db.close_db(work)
        fenxiao_env.drop_database(work)
        if ok:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"faults: server log kept in {log}")
