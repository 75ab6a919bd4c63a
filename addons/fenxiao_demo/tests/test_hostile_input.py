import json
import re
import time

from odoo.tests import HttpCase, tagged

# What a crawler, a fuzzer or a hand-edited link sends instead of the value a
# route expects: each kind once, by name, so that a failure says which.
HOSTILE = {
    # str.isdigit() says yes, int() says no
    "superscript": "²",
    # str.isdigit() and int() both say yes: still not how a URL writes a number
    "fullwidth": "１２",
    # PostgreSQL refuses NUL in a string literal
    "nul": "a\x00b",
    # header injection through a redirect
    "newline": "/shop\r\nX-Injected: 1",
    "non_ascii": "令牌",
    "overflow": "1e999",
    "nan": "nan",
    "empty": "",
    "comma": ",",
    "long": "9" * 5000,
}
TEXT_KINDS = ("superscript", "fullwidth", "nul", "newline", "non_ascii", "long")
NUMBER_KINDS = ("superscript", "fullwidth", "nul", "overflow", "nan", "empty", "long")
ALL_KINDS = tuple(HOSTILE)
# what a strict number parameter refuses ("" is an absent parameter)
BAD_NUMBER_KINDS = ("superscript", "fullwidth", "nul", "overflow", "nan", "comma", "long")
# in a path: "１２" is redirected to "12" by the router, "" is another route
PATH_KINDS = ("superscript", "nul", "newline", "overflow", "nan", "long")
# JSON lets a client send what a query string cannot
JSON_VALUES = {"list": ["x"], "int": 12, "dict": {"a": 1}, "null": None, "non_ascii": "令牌"}

CSRF_RE = re.compile(r"csrf_token\W+([0-9a-f]{40}o[0-9]*)")


@tagged("post_install", "-at_install")
class TestHostileInput(HttpCase):
    """Every route of the suite answers hostile input with a 4xx, never a 500,
    and writes nothing.

    One table: the route, who asks, the parameter that gets each hostile kind,
    and what it must answer (a set of statuses, or None for "anything below
    500"). JSON routes answer 200 with an error object: a server error there is
    an error that is not one of werkzeug's HTTP exceptions.
    """

    # (login, method, path, parameters, kinds, expected)
    # "{v}" in the path or a parameter is replaced by the hostile value.
    HTTP_CASES = [
        # the distributor centre (李娜 is an active distributor)
        ("distributor", "GET", "/my/fenxiao/team/page/{v}", {}, PATH_KINDS, {400, 404}),
        ("distributor", "GET", "/my/fenxiao/team/page/{v}", {}, ("fullwidth",), None),
        ("distributor", "GET", "/my/fenxiao/team", {"level": "{v}"}, BAD_NUMBER_KINDS, {400}),
        ("distributor", "GET", "/my/fenxiao/team", {"page": "{v}"}, BAD_NUMBER_KINDS, {404}),
        ("distributor", "GET", "/my/fenxiao/orders/page/{v}", {}, PATH_KINDS, {400, 404}),
        ("distributor", "GET", "/my/fenxiao/orders", {"page": "{v}"}, BAD_NUMBER_KINDS, {404}),
        ("distributor", "GET", "/my/fenxiao/commission", {"month": "20{v}-01"}, ALL_KINDS, None),
        ("distributor", "GET", "/my/fenxiao/commission", {"state": "{v}"}, TEXT_KINDS, None),
        ("distributor", "GET", "/my/fenxiao/commission", {"page": "{v}"}, BAD_NUMBER_KINDS, {404}),
        ("distributor", "GET", "/my/fenxiao/statement", {"date_from": "{v}"}, ALL_KINDS, None),
        ("distributor", "GET", "/my/fenxiao/withdraw", {"requested": "{v}"}, ALL_KINDS, None),
        (
            "distributor",
            "POST",
            "/my/fenxiao/withdraw/request",
            {"amount": "{v}", "payout_account_id": "{v}"},
            ALL_KINDS,
            None,
        ),
        (
            "distributor",
            "POST",
            "/my/fenxiao/payout-account/remove",
            {"payout_account_id": "{v}"},
            BAD_NUMBER_KINDS,
            {200},
        ),
        (
            "distributor",
            "POST",
            "/my/fenxiao/payout-account/add",
            {"method": "{v}", "holder_name": "{v}", "account_number": "{v}", "bank_name": "{v}"},
            TEXT_KINDS,
            None,
        ),
        (
            "distributor",
            "POST",
            "/my/fenxiao/payout-account/add",
            {"method": "alipay", "holder_name": "{v}", "account_number": "{v}"},
            ("nul", "long"),
            {400},
        ),
        (
            "shopper",
            "POST",
            "/my/fenxiao/apply",
            {"name": "{v}", "mobile": "{v}"},
            TEXT_KINDS,
            None,
        ),
        (
            "shopper",
            "POST",
            "/my/fenxiao/apply",
            {"name": "{v}", "mobile": "13812345678"},
            ("nul", "long"),
            {400},
        ),
        ("distributor", "GET", "/my/fenxiao/invite/qr.png", {"download": "{v}"}, TEXT_KINDS, None),
        ("distributor", "GET", "/shop/fenxiao/poster/{v}.png", {}, PATH_KINDS, {400, 404}),
        ("distributor", "POST", "/auth_wechat/unlink", {"identity_id": "{v}"}, NUMBER_KINDS, None),
        # referral links
        (None, "GET", "/r/{v}", {}, ("nul", "newline"), {400}),
        (None, "GET", "/r/{v}", {}, TEXT_KINDS, None),
        (None, "GET", "/r/{code}", {"next": "{v}"}, TEXT_KINDS, None),
        (None, "GET", "/shop", {"ref": "{v}"}, TEXT_KINDS, None),
        # the shop and its filters (Odoo's and OCA's behind the suite's override)
        (None, "GET", "/shop", {"search": "{v}"}, TEXT_KINDS, None),
        (None, "GET", "/shop", {"min_price": "{v}"}, NUMBER_KINDS, None),
        (None, "GET", "/shop", {"max_price": "{v}"}, NUMBER_KINDS, None),
        (None, "GET", "/shop", {"brand": "{v}"}, ALL_KINDS, None),
        (None, "GET", "/shop", {"attribute_value": "{v}"}, ALL_KINDS, None),
        (None, "GET", "/shop", {"page": "{v}"}, NUMBER_KINDS, None),
        (None, "GET", "/shop", {"category": "{v}"}, ALL_KINDS, None),
        (None, "GET", "/shop", {"tags": "{v}"}, ALL_KINDS, None),
        (None, "GET", "/shop", {"ppg": "{v}"}, ALL_KINDS, None),
        (None, "GET", "/shop", {"order": "{v}"}, TEXT_KINDS, None),
        (None, "GET", "/shop", {"search": "{v}"}, ("nul",), {200}),
        (None, "GET", "/shop/page/{v}", {}, PATH_KINDS, {400, 404}),
        (None, "GET", "/shop/category/{v}", {}, PATH_KINDS + ("non_ascii",), {400, 404}),
        (None, "GET", "/shop/category/nothing-{v}", {}, PATH_KINDS, {400, 404}),
        (None, "GET", "/shop/category/999999{v}", {}, ("empty",), {404}),
        (None, "GET", "/shop/category/nothing-999999{v}", {}, ("empty",), {404}),
        (None, "GET", "/shop/cart/shared/{v}", {}, TEXT_KINDS, {400}),
        # payment pages
        (
            None,
            "GET",
            "/payment/wechatpay/checkout",
            {"reference": "S00001", "access_token": "{v}"},
            ALL_KINDS,
            {400, 404},
        ),
        (
            None,
            "GET",
            "/payment/wechatpay/checkout",
            {"reference": "{v}", "access_token": "abc"},
            ALL_KINDS,
            {400, 404},
        ),
        (
            None,
            "GET",
            "/payment/wechatpay/return",
            {"reference": "S00001", "access_token": "{v}"},
            ALL_KINDS,
            {400, 404},
        ),
        (None, "GET", "/payment/alipay/return", {"out_trade_no": "{v}"}, ALL_KINDS, None),
        (None, "NOTIFY", "/payment/alipay/notify", {"out_trade_no": "{v}"}, ALL_KINDS, None),
        # WeChat Pay's signature headers (what HTTP can carry of each kind)
        (
            None,
            "WECHATPAY",
            "/payment/wechatpay/notify",
            {"Wechatpay-Serial": "{v}", "Wechatpay-Signature": "{v}", "Wechatpay-Nonce": "{v}"},
            ("superscript", "nul", "overflow", "nan", "empty", "comma", "long"),
            {401},
        ),
        # sign-in
        (None, "GET", "/web/login/phone", {"redirect": "{v}"}, TEXT_KINDS, None),
        (None, "POST", "/web/login/phone", {"phone": "{v}", "code": "{v}"}, TEXT_KINDS, None),
        (None, "GET", "/auth_wechat/login", {"redirect": "{v}"}, TEXT_KINDS, None),
        (None, "GET", "/auth_wechat/callback", {"state": "{v}", "code": "{v}"}, TEXT_KINDS, None),
    ]

    # (login, path, parameter names): each gets every JSON value and text kind
    JSON_CASES = [
        (None, "/payment/wechatpay/poll", ("access_token", "reference")),
        (None, "/web/login/phone/send", ("phone",)),
        (None, "/auth_wechat/miniprogram/session", ("code",)),
        (None, "/shop/cart/share", ()),
    ]

    def _counts(self):
        """What a hostile request must not create."""
        self.env.invalidate_all()
        env = self.env
        return {
            "payment.transaction": env["payment.transaction"].search_count([]),
            "sale.order": env["sale.order"].search_count([]),
            "fenxiao.withdrawal": env["fenxiao.withdrawal"].search_count([]),
            "fenxiao.payout.account": env["fenxiao.payout.account"]
            .with_context(active_test=False)
            .search_count([("active", "=", True)]),
            "bound partners": env["res.partner"].search_count(
                [("fenxiao_distributor_id", "!=", False)]
            ),
            "fenxiao.distributor": env["fenxiao.distributor"].search_count([]),
            "res.users": env["res.users"].search_count([]),
        }

    def _login(self, login):
        if login:
            self.authenticate(login, login)
        else:
            self.authenticate(None, None)
        # a page of the website gives the session's CSRF token
        page = self.url_open("/my" if login else "/web/login/phone")
        match = CSRF_RE.search(page.text)
        return match and match.group(1)

    @staticmethod
    def _fill(template, value):
        return template.replace("{v}", value) if isinstance(template, str) else template

    def _request(self, method, path, params, csrf):
        url = self.base_url() + path
        if method == "GET":
            return self.opener.get(url, params=params, timeout=30)
        if method == "WECHATPAY":
            headers = dict(params, **{"Wechatpay-Timestamp": str(int(time.time()))})
            headers["Content-Type"] = "application/json"
            return self.opener.post(url, data="{}", headers=headers, timeout=30)
        data = dict(params)
        if method == "POST":
            data["csrf_token"] = csrf
        return self.opener.post(url, data=data, timeout=30)

    def _json(self, path, params):
        response = self.opener.post(
            self.base_url() + path,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        error = response.ok and response.json().get("error")
        return response, error

    def _sweep(self):
        """The failures: one line per route, parameter and kind that did wrong."""
        failures = []
        code = self.env.ref("fenxiao_demo.dist_lina").referral_code
        for login, method, path, params, kinds, expected in self.HTTP_CASES:
            csrf = self._login(login)
            for kind in kinds:
                value = HOSTILE[kind]
                url_path = self._fill(path, value).replace("{code}", code)
                filled = {key: self._fill(val, value) for key, val in params.items()}
                try:
                    response = self._request(method, url_path, filled, csrf)
                except Exception as error:  # noqa: BLE001 - a broken answer is a failure too
                    failures.append(f"{method} {path} {params} {kind}: {error!r}")
                    continue
                # redirects are followed: where they lead must answer well too
                status = response.status_code
                injected = any("X-Injected" in r.headers for r in [*response.history, response])
                if status >= 500 or (expected and status not in expected):
                    failures.append(f"{method} {path} {params} {kind}: {status}")
                elif injected:
                    failures.append(f"{method} {path} {params} {kind}: header injected")
        for login, path, names in self.JSON_CASES:
            self._login(login)
            values = dict(JSON_VALUES, **{kind: HOSTILE[kind] for kind in TEXT_KINDS})
            for name in names or ("unexpected",):
                for kind, value in values.items():
                    params = {key: "S00001" for key in names}
                    params[name] = value
                    response, error = self._json(path, params)
                    if response.status_code >= 500:
                        failures.append(f"JSON {path} {name} {kind}: {response.status_code}")
                    elif error and not error["data"]["name"].startswith(
                        ("werkzeug.exceptions.", "odoo.exceptions.")
                    ):
                        failures.append(f"JSON {path} {name} {kind}: {error['data']['name']}")
        return failures

    def test_hostile_input_answers_4xx_and_writes_nothing(self):
        before = self._counts()
        failures = self._sweep()
        self.assertEqual(self._counts(), before, "a hostile request wrote something")
        self.assertFalse(failures, f"{len(failures)} server errors:\n" + "\n".join(failures))
