"""Beyond one server, run by scripts/bench (``--cluster``).

Two Odoo servers, each with its own HTTP workers, cron worker and gevent
(long-polling) process, on one PostgreSQL database and one shared data
directory (file store and sessions), behind HAProxy on one port: the way an
Odoo shop grows past one machine. Each server is a separate process tree on
its own ports, as it would be on its own machine. The bench checks, through
the proxy:

- sessions: a shopper signed in on one server stays signed in, with the same
  cart, whichever server answers next (HAProxy balances every request, no
  sticky sessions);
- scheduled actions: a probe action triggered repeatedly with both servers'
  cron workers listening runs exactly once per trigger, and the commission
  settlement, triggered on both at once, settles the week once;
- long-polling: ``/websocket`` goes to the gevent ports; a notification sent
  while the shopper's websocket is open on one server reaches her, whichever
  server's bus listener picks it up;
- the proxy keeps serving when one server is stopped.

Everything runs in a throwaway copy of the bench database with its own data
directory; the servers and the proxy are stopped and the copy dropped at the
end. HAProxy comes from Debian (scripts/setup --for bench installs it).
"""

import datetime
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import fenxiao_env

PROXY_PORT = 8400
# (name, http port, gevent port): two servers as they would run on two machines
SERVERS = (("a", 8401, 8411), ("b", 8402, 8412))
WORKERS = 2
SHOPPER = ("shopper", "shopper")
PROBE_RUNS = 5
SESSION_REQUESTS = 20
ONE_DAY = datetime.timedelta(days=1)

HAPROXY_CFG = """\
global
    maxconn 2000
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 300s
    timeout tunnel 1h
    option forwardfor
    # balance every request, not every connection: a session must not need
    # to stay on one server
    option http-server-close
    # a server that stops is taken out of service: what was sent to it
    # meanwhile goes to the other
    retries 3
    option redispatch
frontend shop
    bind 127.0.0.1:{proxy_port}
    http-request set-header X-Forwarded-Proto http
    http-request set-header X-Forwarded-Host %[req.hdr(host)]
    acl longpolling path_beg /websocket
    use_backend odoo_gevent if longpolling
    default_backend odoo_http
backend odoo_http
    balance roundrobin
    option httpchk
    # HTTP/1.1 with a Host: Odoo answers a request without one with a 500
    http-check send meth GET uri /web/health ver HTTP/1.1 hdr Host localhost
    http-response set-header X-Fenxiao-Server %[srv_name]
{http_servers}
backend odoo_gevent
    balance roundrobin
    http-response set-header X-Fenxiao-Server %[srv_name]
{gevent_servers}
"""


def odoo():
    return fenxiao_env.import_odoo()


class Cluster:
    """The servers and the proxy of one run, stopped by ``stop``."""

    def __init__(self, dbname, workdir):
        self.dbname = dbname
        self.workdir = workdir
        self.data_dir = os.path.join(workdir, "data")
        self.processes = {}
        self.logs = {}

    def start_server(self, name, http_port, gevent_port):
        log = os.path.join(self.workdir, f"odoo-{name}.log")
        command = fenxiao_env.odoo_command(
            self.dbname,
            "--db-filter",
            f"^{self.dbname}$",
            "--http-port",
            str(http_port),
            "--gevent-port",
            str(gevent_port),
            "--workers",
            str(WORKERS),
            "--max-cron-threads",
            "1",
            "--data-dir",
            self.data_dir,
            "--proxy-mode",
            "--logfile",
            log,
            "--log-handler",
            "odoo.addons.base.models.ir_cron:INFO",
        )
        self.processes[name] = subprocess.Popen(  # noqa: S603
            command, cwd=fenxiao_env.ROOT, env=dict(os.environ, TZ="UTC"), start_new_session=True
        )
        self.logs[name] = log

    def start_proxy(self):
        config = os.path.join(self.workdir, "haproxy.cfg")
        with open(config, "w", encoding="utf-8") as out:
            out.write(
                HAPROXY_CFG.format(
                    proxy_port=PROXY_PORT,
                    http_servers="\n".join(
                        f"    server {name} 127.0.0.1:{port} check inter 1s"
                        for name, port, _gevent in SERVERS
                    ),
                    gevent_servers="\n".join(
                        f"    server {name} 127.0.0.1:{gevent}" for name, _port, gevent in SERVERS
                    ),
                )
            )
        self.processes["proxy"] = subprocess.Popen(  # noqa: S603
            ["haproxy", "-f", config, "-db"],  # noqa: S607
            stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.workdir, "haproxy.log"), "w"),  # noqa: SIM115
            start_new_session=True,
        )

    def stop_server(self, name):
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop(self):
        for name in list(self.processes):
            self.stop_server(name)

    def log_count(self, name, pattern):
        with open(self.logs[name], encoding="utf-8", errors="replace") as log:
            return len(re.findall(pattern, log.read()))


def wait_for(url, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    fenxiao_env.fail(f"{url} did not answer within {timeout} s")


def wait_balanced(browser, timeout=120):
    """Until the proxy's health checks have both servers in service."""
    deadline = time.monotonic() + timeout
    seen = set()
    while time.monotonic() < deadline:
        try:
            seen.add(browser.get("/web/health")[1])
        except OSError:
            pass
        if len(seen) == len(SERVERS):
            return
        time.sleep(0.3)
    fenxiao_env.fail(f"HAProxy did not put both servers in service within {timeout} s")


class Browser:
    """A shopper's browser: one cookie jar, every request through the proxy."""

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as answer:
            return answer.geturl(), answer.headers.get("X-Fenxiao-Server"), answer.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.base + path, body, timeout=60) as answer:
            return answer.geturl(), answer.headers.get("X-Fenxiao-Server"), answer.read().decode()

    def json(self, path, params):
        request = urllib.request.Request(  # noqa: S310
            self.base + path,
            json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode(),
            {"Content-Type": "application/json"},
        )
        with self.opener.open(request, timeout=60) as answer:
            return answer.headers.get("X-Fenxiao-Server"), json.loads(answer.read())

    def session_id(self):
        return next(cookie.value for cookie in self.cookies if cookie.name == "session_id")

    def sign_in(self, login, password):
        _url, _server, page = self.get("/web/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        url, _server, _page = self.post(
            "/web/login", {"login": login, "password": password, "csrf_token": token}
        )
        if "/web/login" in url:
            fenxiao_env.fail(f"signing in as {login} through the proxy failed")


def check_sessions(browser, product_id, product_name):
    """Signed in and the same cart, whichever server answers."""
    server, answer = browser.json(
        "/shop/cart/update_json", {"product_id": product_id, "add_qty": 1}
    )
    if "error" in answer:
        fenxiao_env.fail(f"adding to the cart through the proxy failed: {answer['error']}")
    # the cart's address in the shopper's language (/shop/cart redirects
    # there), so that each request is one page served by one server
    cart = urllib.parse.urlsplit(browser.get("/shop/cart")[0]).path
    servers, kept = {}, 0
    for _request in range(SESSION_REQUESTS):
        url, server, page = browser.get(cart)
        servers[server] = servers.get(server, 0) + 1
        signed_in = "/web/login" not in url and 'href="/web/session/logout' in page
        kept += signed_in and product_name in page
    return kept, servers


def check_websocket(browser, env, partner):
    """A notification sent to the shopper reaches her websocket through the proxy."""
    import websocket  # noqa: PLC0415  (websocket-client, for the browser tours)

    host = f"127.0.0.1:{PROXY_PORT}"
    socket = websocket.create_connection(
        f"ws://{host}/websocket",
        cookie=f"session_id={browser.session_id()}",
        origin=f"http://{host}",
        host=host,
        timeout=20,
    )
    try:
        server = socket.getheaders().get("x-fenxiao-server")
        socket.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
        time.sleep(1)  # the subscription reaches the bus listener
        marker = f"cluster-probe-{time.time()}"
        start = time.perf_counter()
        env["bus.bus"]._sendone(partner, "fenxiao.cluster.probe", {"marker": marker})
        env.cr.commit()  # the bus notifies its listeners at commit
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            message = socket.recv()
            if marker in message:
                return server, (time.perf_counter() - start) * 1000
        return server, None
    finally:
        socket.close()


def websocket_refused_on_http_port(browser):
    """The HTTP workers do not serve websockets: the proxy's routing matters."""
    import websocket  # noqa: PLC0415

    _name, port, _gevent = SERVERS[0]
    host = f"127.0.0.1:{port}"
    try:
        socket = websocket.create_connection(
            f"ws://{host}/websocket",
            cookie=f"session_id={browser.session_id()}",
            origin=f"http://{host}",
            timeout=20,
        )
    except (websocket.WebSocketException, OSError):
        return True
    socket.close()
    return False


def check_crons(cluster, env):
    """A probe action triggered PROBE_RUNS times runs PROBE_RUNS times in all."""
    model = env["ir.model"]._get("ir.config_parameter")
    probe = env["ir.cron"].create(
        {
            "name": "fenxiao cluster probe",
            "model_id": model.id,
            "state": "code",
            "code": (
                "key = 'fenxiao.cluster.probe'\n"
                "runs = int(model.sudo().get_param(key, '0'))\n"
                "model.sudo().set_param(key, str(runs + 1))\n"
            ),
            "interval_number": 1,
            "interval_type": "days",
            "nextcall": "2100-01-01 00:00:00",
            "active": True,
        }
    )
    env.cr.commit()
    for _run in range(PROBE_RUNS):
        probe._trigger()
        env.cr.commit()  # the trigger's NOTIFY wakes both servers' cron workers
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            env.cr.rollback()  # a fresh snapshot
            if not env["ir.cron.trigger"].search_count([("cron_id", "=", probe.id)]):
                break
            time.sleep(0.5)
        time.sleep(1)
    env.cr.rollback()
    env.invalidate_all()
    runs = int(env["ir.config_parameter"].get_param("fenxiao.cluster.probe", "0"))
    per_server = {
        name: cluster.log_count(name, r"Job 'fenxiao cluster probe' \(\d+\) done")
        for name, _port, _gevent in SERVERS
    }
    return runs, per_server


def prepare(env):
    """In the copy: scheduled actions run only when the bench triggers them
    (not all at once when the servers start), and commission is settled by
    month, so that last month, not settled yet (the demo settles weekly),
    gives the settlement cron work to do."""
    env["ir.cron"].search([]).write({"nextcall": "2100-01-01 00:00:00"})
    env.company.fenxiao_settlement_period = "monthly"
    env.cr.commit()


def check_settlement(env):
    """The settlement cron triggered on both servers at once settles the month once."""
    Settlement = env["fenxiao.commission.settlement"]
    company = env.company
    date_from, date_to = company._fenxiao_last_closed_period()
    period = [("company_id", "=", company.id), ("date_from", "=", date_from)]
    before = Settlement.search_count(period)
    Line = env["fenxiao.commission.line"]
    due = Line.search_count(
        [
            ("company_id", "=", company.id),
            ("state", "=", "available"),
            ("date", "<", datetime.datetime.combine(date_to, datetime.time.min) + ONE_DAY),
        ]
    )
    cron = env.ref("fenxiao_commission.ir_cron_fenxiao_commission_settle")
    cron._trigger()
    cron._trigger()
    env.cr.commit()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        env.cr.rollback()
        if not env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]):
            break
        time.sleep(0.5)
    time.sleep(2)
    env.cr.rollback()
    after = Settlement.search_count(period)
    left = Line.search_count(
        [
            ("company_id", "=", company.id),
            ("state", "=", "available"),
            ("date", "<", datetime.datetime.combine(date_to, datetime.time.min) + ONE_DAY),
        ]
    )
    return before, after, due, left, (date_from, date_to)


def run(dbname):
    """The cluster section: returns True when every check passed."""
    from bench_commission import copy_database, environment  # noqa: PLC0415

    for port in (PROXY_PORT, *(p for _n, p, _g in SERVERS), *(g for _n, _p, g in SERVERS)):
        fenxiao_env.check_port(port)
    if not shutil.which("haproxy"):
        fenxiao_env.fail(
            "HAProxy is missing (Debian: apt-get install haproxy); scripts/setup "
            "--for bench installs it."
        )
    work = copy_database(dbname, f"{dbname}_cluster")
    workdir = tempfile.mkdtemp(prefix="fenxiao-cluster-")
    cluster = Cluster(work, workdir)
    config = fenxiao_env.odoo_config()
    # the shared data directory holds the copy's file store, as an NFS mount would
    shutil.copytree(config.filestore(dbname), os.path.join(cluster.data_dir, "filestore", work))
    env = None
    ok = True
    try:
        env, company = environment(work)
        product = env["product.product"].search(
            [("sale_ok", "=", True), ("website_published", "=", True), ("type", "=", "consu")],
            limit=1,
        )
        shopper = env["res.users"].search([("login", "=", SHOPPER[0])])
        prepare(env)
        started = time.perf_counter()
        for name, port, gevent in SERVERS:
            cluster.start_server(name, port, gevent)
        cluster.start_proxy()
        for _name, port, _gevent in SERVERS:
            wait_for(f"http://127.0.0.1:{port}/web/health")
        browser = Browser(f"http://127.0.0.1:{PROXY_PORT}")
        wait_balanced(browser)
        ready_s = time.perf_counter() - started
        browser.sign_in(*SHOPPER)
        rows = []

        kept, servers = check_sessions(browser, product.id, product.name)
        good = kept == SESSION_REQUESTS and len(servers) == len(SERVERS)
        ok &= good
        spread = ", ".join(f"{name}: {count}" for name, count in sorted(servers.items()))
        rows.append((f"signed in, same cart ({SESSION_REQUESTS} requests; {spread})", kept, good))

        ws_server, latency = check_websocket(browser, env, shopper.partner_id)
        good = latency is not None
        ok &= good
        rows.append(
            (
                f"notification on the websocket via the proxy (gevent {ws_server}), ms",
                f"{latency:.0f}" if good else "lost",
                good,
            )
        )
        refused = websocket_refused_on_http_port(browser)
        ok &= refused
        rows.append(
            ("websocket refused on an HTTP worker port", "yes" if refused else "no", refused)
        )

        runs, per_server = check_crons(cluster, env)
        good = runs == PROBE_RUNS and sum(per_server.values()) == PROBE_RUNS
        ok &= good
        spread = ", ".join(f"{name}: {count}" for name, count in sorted(per_server.items()))
        rows.append((f"probe action triggered {PROBE_RUNS} times: runs ({spread})", runs, good))

        before, after, due, left, (date_from, date_to) = check_settlement(env)
        good = due and not before and after == 1 and not left
        ok &= good
        rows.append(
            (
                f"settle {date_from:%m-%d}..{date_to:%m-%d} twice on both: settlements "
                f"({due} lines due, {left} left)",
                f"{before} -> {after}",
                good,
            )
        )

        cluster.stop_server("b")
        answered = 0
        for _request in range(10):
            try:
                _url, server, _page = browser.get("/shop")
                answered += server == "a"
            except OSError:
                pass
        good = answered == 10
        ok &= good
        rows.append(("server b stopped: /shop answered by a (of 10)", answered, good))

        print(f"{'cluster: 2 servers x ' + str(WORKERS) + ' workers, HAProxy':72} {'result':>10}")
        print(f"{'  servers and proxy ready, s':72} {ready_s:>10.1f}")
        for label, value, good in rows:
            print(f"  {label:70} {value!s:>10} {'' if good else 'FAILED'}")
        return ok
    except BaseException:
        ok = False
        raise
    finally:
        cluster.stop()
        if env is not None:
            env.cr.close()
        odoo().sql_db.close_db(work)
        fenxiao_env.drop_database(work)
        if ok:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"cluster: logs kept in {workdir}")
