"""A local simulator of Kuaidi100 (快递100)'s tracking API, for tests and demos.

Like Kuaidi100 it serves the subscription API (``POST /poll``, form
``schema=json`` and ``param``, the account's key inside ``param``) and the
real-time query (``POST /poll/query.do``, form ``customer``, ``param`` and
``sign`` = MD5(param + key + customer) upper-case, checked exactly). Each
tracking number holds a scripted list of events; ``advance`` adds one and
pushes the parcel's whole history to the subscribed ``callbackurl``, signed
MD5(param + salt) upper-case, as Kuaidi100 does.
"""

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import requests

STATUS_NAMES = {
    "0": "在途",
    "1": "揽收",
    "2": "疑难",
    "3": "签收",
    "4": "退签",
    "5": "派件",
    "6": "退回",
    "7": "转投",
    "8": "清关",
    "14": "拒签",
}


def md5_upper(text):
    return hashlib.md5(text.encode()).hexdigest().upper()  # noqa: S324 - Kuaidi100's scheme


def dumps(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class Kuaidi100Simulator:
    def __init__(self, customer, key):
        self.customer = customer
        self.key = key
        self.subscriptions = {}  # (company, number) -> parameters of the subscription
        self.events = {}  # (company, number) -> [event, newest first]
        self.pushes = []  # (url, form, HTTP status, answer)
        self.received = []  # (path, form)
        self.refuse_subscriptions = 0  # answer the next N subscriptions with an error
        self._lock = threading.RLock()
        self._server = None

    # -- life cycle ---------------------------------------------------------------------
    def start(self, port=0):
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True
        self._server.simulator = self
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- the parcels --------------------------------------------------------------------
    def _find(self, number, company=None):
        for key in list(self.subscriptions) + list(self.events):
            if key[1] == number and (company is None or key[0] == company):
                return key
        raise KeyError(number)

    def event(self, state, context, when=None, area="浙江省杭州市"):
        """One history line in Kuaidi100's resultv2=4 shape."""
        stamp = when or time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + 8 * 3600))
        return {
            "time": stamp,
            "ftime": stamp,
            "context": context,
            "status": STATUS_NAMES.get(str(state), "在途"),
            "statusCode": str(state),
            "areaName": area,
            "areaCode": "CN330100000000",
            "location": area,
        }

    def last_result(self, key, events=None):
        events = self.events.get(key, []) if events is None else events
        state = events[0]["statusCode"] if events else "0"
        state = state if state in STATUS_NAMES else "0"
        return {
            "message": "ok",
            "nu": key[1],
            "ischeck": "1" if state == "3" else "0",
            "condition": "F00",
            "com": key[0],
            "status": "200",
            "state": state,
            "data": events,
        }

    def push_form(self, key, events=None, salt=None, status="polling"):
        """The form Kuaidi100 POSTs to the callback: ``param`` and its ``sign``."""
        param = dumps(
            {
                "status": status,
                "billstatus": "got",
                "message": "",
                "autoCheck": "0",
                "comOld": "",
                "comNew": "",
                "lastResult": self.last_result(key, events),
            }
        )
        salt = self.subscriptions[key]["salt"] if salt is None else salt
        return {"param": param, "sign": md5_upper(param + salt)}

    def push(self, key, form=None):
        """POST a push to the subscribed callback; (HTTP status, answer)."""
        url = self.subscriptions[key]["callbackurl"]
        form = form or self.push_form(key)
        response = requests.post(url, data=form, timeout=30)
        try:
            answer = response.json()
        except ValueError:
            answer = response.text
        self.pushes.append((url, form, response.status_code, answer))
        return response.status_code, answer

    def advance(self, number, state, context, when=None, company=None):
        """The parcel moves: a new event, pushed like Kuaidi100 to the subscriber."""
        with self._lock:
            key = self._find(number, company)
            self.events.setdefault(key, []).insert(0, self.event(state, context, when))
        if key in self.subscriptions:
            return self.push(key)
        return None

    # -- the API ------------------------------------------------------------------------
    def handle(self, path, form):
        """(HTTP status, JSON answer) of one API request."""
        if path == "/poll":
            return 200, self._subscribe(form)
        if path == "/poll/query.do":
            return 200, self._query(form)
        return 404, {"result": False, "returnCode": "404", "message": "not found"}

    def _subscribe(self, form):
        try:
            param = json.loads(form.get("param") or "")
        except ValueError:
            return {"result": False, "returnCode": "400", "message": "数据不完整"}
        if form.get("schema") != "json":
            return {"result": False, "returnCode": "400", "message": "数据不完整"}
        if param.get("key") != self.key:
            return {
                "result": False,
                "returnCode": "600",
                "message": "您不是合法的订阅者（即授权Key出错）",
            }
        company, number = param.get("company"), param.get("number")
        parameters = param.get("parameters") or {}
        if not company or not number or not parameters.get("callbackurl"):
            return {"result": False, "returnCode": "400", "message": "数据不完整"}
        if company == "shunfeng" and len(parameters.get("phone") or "") != 4:
            return {"result": False, "returnCode": "400", "message": "顺丰单号需提供手机号后四位"}
        if self.refuse_subscriptions:
            self.refuse_subscriptions -= 1
            return {"result": False, "returnCode": "502", "message": "服务器繁忙"}
        key = (company, number)
        if key in self.subscriptions:
            return {"result": False, "returnCode": "501", "message": "POLL:重复订阅"}
        self.subscriptions[key] = dict(parameters)
        self.events.setdefault(key, [])
        return {"result": True, "returnCode": "200", "message": "提交成功"}

    def _query(self, form):
        customer, param, sign = form.get("customer"), form.get("param") or "", form.get("sign")
        if customer != self.customer:
            return {"result": False, "returnCode": "601", "message": "POLL:KEY已过期或不存在"}
        if md5_upper(param + self.key + customer) != sign:
            return {"result": False, "returnCode": "503", "message": "验证签名失败"}
        try:
            query = json.loads(param)
        except ValueError:
            return {"result": False, "returnCode": "400", "message": "数据不完整"}
        key = (query.get("com"), query.get("num"))
        events = self.events.get(key)
        if not events:
            return {"result": False, "returnCode": "500", "message": "查询无结果，请隔段时间再查"}
        if query.get("order") == "asc":
            events = list(reversed(events))
        return self.last_result(key, events)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # quiet
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        simulator = self.server.simulator
        path = urlsplit(self.path).path
        with simulator._lock:
            simulator.received.append((path, form))
            status, answer = simulator.handle(path, form)
        data = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
