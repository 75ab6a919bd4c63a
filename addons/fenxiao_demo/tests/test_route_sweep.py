import inspect
import json
import logging
import os
import re
from urllib.parse import quote

from odoo.tests import HttpCase, tagged

from .test_hostile_input import CSRF_RE

# The suite: every folder of addons/ (this module's parent). A route belongs
# to the suite when the function that answers it, the last override, is
# defined in one of them: a suite override of Odoo's /shop is swept, Odoo's
# own /web/login is not (test_hostile_input covers what the suite adds there).
SUITE = frozenset(
    name
    for name in os.listdir(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    if not name.startswith(".")
)

# Hostile values by kind. One request per (route, role, kind): the values of
# a kind go round the route's parameters (the first parameter gets the first
# value, the second the second...), so each value reaches some parameter and
# the sweep stays one request per kind.
KINDS = {
    "sql": ["1' OR '1'='1", "1; DROP TABLE res_partner--"],
    "script": ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'],
    "negative": ["-1", "-0.01"],
    "huge": ["1e308", "99999999999999999999"],
    "nul": ["a\x00b"],
    # 1 MB in a form; a URL that long is refused by the HTTP server itself
    # (414) before any route runs, so a query string gets what fits in one
    "oversized": ["x" * 2**20],
    # filled per role: ids of another user's records (see _other_ids)
    "other_ids": [],
}
# what JSON carries and a form cannot: typed numbers, lists, objects, null
JSON_KINDS = {
    "json_numbers": [-1, -0.01, 1e308, 99999999999999999999],
    "json_list": [["x", 1]],
    "json_dict": [{"id": 1, "name": {"a": None}}],
    "json_null": [None],
}
QUERY_MAX = 2000
# A route that takes GET and POST reads the same parameters from the query
# string or the form: its POST repeats the GET but for what only a form
# carries. A POST-only route gets every kind in its form.
FORM_ONLY = ("oversized",)
# what a page must never echo as it came: the markup of the script kind
UNESCAPED = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
# a path converter: <name>, <int:name>, <model("x"):name>
CONVERTER_RE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
# who asks: the public (no session), the demo shopper 王芳, the distributor 李娜
ROLES = (None, "shopper", "distributor")


class _ErrorLog(logging.Handler):
    """Every ERROR (and the tracebacks of a 500) logged while it is installed."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def suite_routes(env):
    """(rule, routing, parameter names) of every public or portal route whose
    endpoint is defined in a suite module, from the live routing map: a route
    added tomorrow is swept without anyone listing it."""
    routes = []
    for rule in env["ir.http"].routing_map().iter_rules():
        endpoint = rule.endpoint
        parts = (endpoint.__module__ or "").split(".")
        if parts[:2] != ["odoo", "addons"] or parts[2] not in SUITE:
            continue
        routing = endpoint.routing
        if routing["auth"] not in ("public", "user"):
            continue
        names, var_kw = [], False
        for param in inspect.signature(endpoint.func).parameters.values():
            if param.kind == param.VAR_KEYWORD:
                var_kw = True
            elif param.kind != param.VAR_POSITIONAL:
                names.append(param.name)
        path_args = {match.group(2) for match in CONVERTER_RE.finditer(rule.rule)}
        names = [name for name in names if name not in path_args]
        if var_kw:
            # what **kw takes: the names a hand-edited form would add
            names += ["id", "partner_id", "amount", "redirect"]
        routes.append((rule.rule, routing, names))
    return routes


def records_of(env, partner):
    """The records of ``partner`` a hostile request could aim at, by model."""
    env = env(su=True)
    Distributor = env["fenxiao.distributor"].with_context(active_test=False)
    distributor = Distributor.search([("partner_id", "=", partner.id)])
    records = {
        "res.partner": env["res.partner"]
        .with_context(active_test=False)
        .search([("id", "child_of", partner.id)]),
        "sale.order": env["sale.order"].search([("partner_id", "child_of", partner.id)]),
        "rma": env["rma"].search([("partner_id", "child_of", partner.id)]),
        "fenxiao.distributor": distributor,
        "fenxiao.payout.account": env["fenxiao.payout.account"]
        .with_context(active_test=False)
        .search([("distributor_id", "in", distributor.ids)]),
        "fenxiao.withdrawal": env["fenxiao.withdrawal"].search(
            [("distributor_id", "in", distributor.ids)]
        ),
        "auth.wechat.identity": env["auth.wechat.identity"]
        .with_context(active_test=False)
        .search([("user_id.partner_id", "=", partner.id)]),
        "fenxiao.commission.line": env["fenxiao.commission.line"].search(
            [("distributor_id", "in", distributor.ids)]
        ),
    }
    return records


@tagged("post_install", "-at_install")
class TestRouteSweep(HttpCase):
    """Every public and portal route of the suite, found in the routing map,
    answers hostile input from the public, a shopper and a distributor without
    a server error, without echoing markup, and without touching another
    user's records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls._ids_cache = {}
        cls.partners = {
            "shopper": env.ref("fenxiao_demo.partner_demo_shopper"),
            "distributor": env.ref("fenxiao_demo.partner_demo_distributor"),
        }

    # ------------------------------------------------------------------
    # Another user's records
    # ------------------------------------------------------------------
    def _snapshot(self, partner):
        """What must not change: each record's write_date, and how many there are."""
        self.env.invalidate_all()
        return {
            model: sorted((rec.id, rec.write_date) for rec in records)
            for model, records in records_of(self.env, partner).items()
        }

    def _ids(self, role, own):
        """Parameter name -> an id of a record of ``role`` (``own``) or of
        another user, and the id for any other name (the partner's)."""
        key = (role, own)
        if key not in self._ids_cache:
            other = "distributor" if role == "shopper" else "shopper"
            partner = self.partners[(role or "shopper") if own else other]
            records = records_of(self.env, partner)
            ids = {
                "order_id": records["sale.order"][:1].id,
                "rma_id": records["rma"][:1].id or records["sale.order"][:1].id,
                "payout_account_id": records["fenxiao.payout.account"][:1].id,
                "identity_id": records["auth.wechat.identity"][:1].id,
                "product_template_id": self.env["product.template"]
                .search([("website_published", "=", True)], limit=1)
                .id,
                "category": self.env["product.public.category"].search([], limit=1).id,
                "state_id": self.env.ref("base.state_cn_SH").id,
                "page": 1,
            }
            self._ids_cache[key] = (
                {name: str(value or partner.id) for name, value in ids.items()},
                str(partner.id),
            )
        return self._ids_cache[key]

    # ------------------------------------------------------------------
    # Requests
    # ------------------------------------------------------------------
    def _login(self, role):
        self.authenticate(role, role)
        page = self.url_open("/my" if role else "/web/login/phone")
        match = CSRF_RE.search(page.text)
        return match and match.group(1)

    def _session(self):
        return sorted(c.value for c in self.opener.cookies if c.name == "session_id")

    def _values(self, kind, role):
        if kind == "other_ids":
            return None
        return KINDS.get(kind) or JSON_KINDS[kind]

    def _fill(self, rule, names, kind, role, for_url):
        """(path, parameters) with the hostile values of ``kind``."""
        values = self._values(kind, role)
        by_name, default_id = self._ids(role, own=False)
        own_ids, own_default = self._ids(role, own=True)
        position = iter(range(10**6))

        def value_for(name):
            if kind == "other_ids":
                return by_name.get(name, default_id)
            value = values[next(position) % len(values)]
            if for_url and isinstance(value, str) and len(value) > QUERY_MAX:
                value = value[:QUERY_MAX]
            return value

        def converter(match):
            value = str(value_for(match.group(2)))
            numeric = value.isascii() and value.isdigit()
            if match.group(1) in ("int", "model") and not numeric:
                # the router answers 404 to what is not a number before the
                # route runs: put the user's own record in the path, so that
                # the hostile parameters reach the code behind it
                value = own_ids.get(match.group(2), own_default)
            # a path is in the URL whatever the method
            return quote(value[:QUERY_MAX], safe="")

        path = CONVERTER_RE.sub(converter, rule)
        return path, {name: value_for(name) for name in names}

    def _call(self, method, rule, routing, names, kind, role, csrf):
        is_json = routing["type"] == "json"
        path, params = self._fill(rule, names, kind, role, for_url=method == "GET")
        url = self.base_url() + path
        if method == "GET":
            return self.opener.get(url, params=params, timeout=60, allow_redirects=False)
        if is_json:
            body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
            return self.opener.post(
                url,
                data=json.dumps(body),
                headers={"Content-Type": "application/json"},
                timeout=60,
                allow_redirects=False,
            )
        return self.opener.post(
            url, data=dict(params, csrf_token=csrf), timeout=60, allow_redirects=False
        )

    def _check(self, response, errors):
        """What is wrong with one answer: a 5xx, an ERROR logged, an echo."""
        problems = []
        if response.status_code >= 500:
            problems.append(str(response.status_code))
        if errors:
            problems.append(f"logged {errors[0].getMessage()[:120]!r}")
        if response.headers.get("Content-Type", "").startswith("text/html"):
            body = response.text
            problems += [f"echoes {marker!r}" for marker in UNESCAPED if marker in body]
        elif response.headers.get("Content-Type", "").startswith("application/json"):
            error = response.json().get("error")
            name = error and error["data"]["name"]
            if name and not name.startswith(("werkzeug.exceptions.", "odoo.exceptions.")):
                problems.append(name)
        return problems

    def _sweep(self, routes):
        failures = []
        handler = _ErrorLog()
        logger = logging.getLogger("odoo")
        for role in ROLES:
            watched = [p for r, p in self.partners.items() if r != role]
            before = [self._snapshot(partner) for partner in watched]
            csrf = self._login(role)
            session = self._session()
            for rule, routing, names in routes:
                allowed = routing["methods"] or ["GET", "POST"]
                if routing["type"] == "json":
                    # a JSON route reads a JSON-RPC body: POST it
                    methods = ["POST"]
                    kinds = [*KINDS, *JSON_KINDS]
                else:
                    methods = [m for m in ("GET", "POST") if m in allowed]
                    kinds = list(KINDS)
                for method in methods:
                    for kind in kinds:
                        if method == "POST" and "GET" in allowed and kind not in FORM_ONLY:
                            continue
                        handler.records = []
                        logger.addHandler(handler)
                        try:
                            response = self._call(method, rule, routing, names, kind, role, csrf)
                        except Exception as error:  # noqa: BLE001 - a broken answer fails too
                            failures.append(f"{role} {method} {rule} {kind}: {error!r}")
                            continue
                        finally:
                            logger.removeHandler(handler)
                        problems = self._check(response, handler.records)
                        if problems:
                            failures.append(f"{role} {method} {rule} {kind}: {', '.join(problems)}")
                # a sign-in route may have changed the session: start the
                # next route signed in as the role again
                if self._session() != session:
                    csrf = self._login(role)
                    session = self._session()
            after = [self._snapshot(partner) for partner in watched]
            for partner, old, new in zip(watched, before, after, strict=True):
                for model in old:
                    if old[model] != new[model]:
                        failures.append(f"{role} changed {partner.name}'s {model}")
        return failures

    def test_sweep_finds_the_suite_routes(self):
        """The sweep sees the suite's routes, overrides included, and nothing of
        Odoo's own."""
        rules = {rule for rule, __, __ in suite_routes(self.env)}
        for expected in ("/my/fenxiao/withdraw/request", "/r/<string:code>", "/shop"):
            self.assertIn(expected, rules)
        self.assertNotIn("/web/login", rules)
        self.assertGreater(len(rules), 30)

    def test_every_suite_route_answers_hostile_input_cleanly(self):
        routes = suite_routes(self.env)
        failures = self._sweep(routes)
        self.assertFalse(failures, f"{len(failures)} failures:\n" + "\n".join(failures))
