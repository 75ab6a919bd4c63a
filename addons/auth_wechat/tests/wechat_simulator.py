"""A local simulator of WeChat's sign-in APIs, for tests and demos.

It answers like api.weixin.qq.com and open.weixin.qq.com: the OAuth code
exchange (sns/oauth2/access_token), the profile (sns/userinfo), the
mini-program's sns/jscode2session, the official account's server token
(cgi-bin/token) and JS-SDK ticket (cgi-bin/ticket/getticket), with
WeChat's JSON shapes and error codes
(40029 invalid code, 40163 code been used, 40013 invalid appid, 40125 invalid
appsecret, 40001/42001 bad or expired token, 45011 rate limit), and the two
authorisation pages, which redirect back with a code the way WeChat does
once the person confirms. One person gets a different openid in each app and
the same unionid in every app of one open platform account, as on WeChat.
"""

import hashlib
import html
import json
import secrets
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

CODE_SECONDS = 300
TOKEN_SECONDS = 7200
SCOPES = {
    "website": ("snsapi_login",),
    "official_account": ("snsapi_base", "snsapi_userinfo"),
    "miniprogram": (),
}


def _png(rgb):
    """A 2x2 PNG of one colour: a WeChat avatar for tests."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(rgb) * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


class WeChatSimulator:
    def __init__(self, rate_limit_per_minute=None):
        self.rate_limit_per_minute = rate_limit_per_minute
        self.apps = {}  # appid -> {secret, kind, open_platform}
        self.people = {}  # key -> {nickname}
        self.codes = {}  # code -> {appid, person, scope, at, used}
        self.tokens = {}  # access_token -> {appid, person, scope, at}
        self.server_tokens = {}  # cgi-bin access_token -> {appid, at}
        # the JS-SDK ticket getticket hands out: WeChat's documented example
        self.jsapi_ticket = (
            "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
        )
        self.received = []
        self._calls = {}  # appid -> [timestamps] of jscode2session
        self._lock = threading.RLock()
        self._server = None

    # -- set-up -------------------------------------------------------------------------
    def add_app(self, appid, secret, kind, open_platform=None):
        self.apps[appid] = {"secret": secret, "kind": kind, "open_platform": open_platform}

    def add_person(self, key, nickname):
        self.people[key] = {"nickname": nickname}

    def openid(self, appid, person):
        return "o" + hashlib.sha1(f"{appid}:{person}".encode()).hexdigest()[:27]

    def unionid(self, appid, person):
        platform = self.apps[appid]["open_platform"]
        if not platform:
            return None
        return "u" + hashlib.sha1(f"{platform}:{person}".encode()).hexdigest()[:27]

    def issue_code(self, appid, person, scope=""):
        """The code WeChat puts in the redirect once ``person`` confirms (or
        that wx.login() gives the mini-program)."""
        code = secrets.token_hex(16)
        with self._lock:
            self.codes[code] = {
                "appid": appid,
                "person": person,
                "scope": scope,
                "at": time.time(),
                "used": False,
            }
        return code

    def expire_tokens(self):
        for token in self.tokens.values():
            token["at"] -= TOKEN_SECONDS + 1

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

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    # -- the APIs -----------------------------------------------------------------------
    def _app(self, query):
        appid = query.get("appid", "")
        app = self.apps.get(appid)
        if not app:
            return None, {"errcode": 40013, "errmsg": "invalid appid"}
        if "secret" in query and query["secret"] != app["secret"]:
            return None, {"errcode": 40125, "errmsg": "invalid appsecret"}
        return app, None

    def _take_code(self, query, appid):
        code = self.codes.get(query.get("js_code") or query.get("code") or "")
        if not code or code["appid"] != appid or time.time() - code["at"] > CODE_SECONDS:
            return None, {"errcode": 40029, "errmsg": "invalid code"}
        if code["used"]:
            return None, {"errcode": 40163, "errmsg": "code been used"}
        code["used"] = True
        return code, None

    def access_token(self, query):
        app, error = self._app(query)
        if error:
            return error
        if query.get("grant_type") != "authorization_code":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        code, error = self._take_code(query, query["appid"])
        if error:
            return error
        token = secrets.token_urlsafe(24)
        self.tokens[token] = {**code, "at": time.time()}
        answer = {
            "access_token": token,
            "expires_in": TOKEN_SECONDS,
            "refresh_token": secrets.token_urlsafe(24),
            "openid": self.openid(query["appid"], code["person"]),
            "scope": code["scope"],
        }
        unionid = self.unionid(query["appid"], code["person"])
        if unionid:
            answer["unionid"] = unionid
        return answer

    def userinfo(self, query):
        token = self.tokens.get(query.get("access_token", ""))
        if not token:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        if time.time() - token["at"] > TOKEN_SECONDS:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        openid = self.openid(token["appid"], token["person"])
        if query.get("openid") != openid:
            return {"errcode": 40003, "errmsg": "invalid openid"}
        if token["scope"] == "snsapi_base":
            return {"errcode": 48001, "errmsg": "api unauthorized"}
        answer = {
            "openid": openid,
            "nickname": self.people.get(token["person"], {}).get("nickname", "微信用户"),
            "sex": 0,
            "province": "",
            "city": "",
            "country": "",
            "headimgurl": f"{self.url}avatar/{openid}.png",
            "privilege": [],
        }
        unionid = self.unionid(token["appid"], token["person"])
        if unionid:
            answer["unionid"] = unionid
        return answer

    def jscode2session(self, query):
        app, error = self._app(query)
        if error:
            return error
        now = time.time()
        calls = [t for t in self._calls.get(query["appid"], []) if now - t < 60]
        if self.rate_limit_per_minute and len(calls) >= self.rate_limit_per_minute:
            return {"errcode": 45011, "errmsg": "api minute-quota reach limit"}
        self._calls[query["appid"]] = [*calls, now]
        code, error = self._take_code(query, query["appid"])
        if error:
            return error
        answer = {
            "openid": self.openid(query["appid"], code["person"]),
            "session_key": secrets.token_urlsafe(16),
        }
        unionid = self.unionid(query["appid"], code["person"])
        if unionid:
            answer["unionid"] = unionid
        return answer

    def server_token(self, query):
        """cgi-bin/token: the official account's own access token."""
        app, error = self._app(query)
        if error:
            return error
        if query.get("grant_type") != "client_credential" or "secret" not in query:
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        token = secrets.token_urlsafe(24)
        self.server_tokens[token] = {"appid": query["appid"], "at": time.time()}
        return {"access_token": token, "expires_in": TOKEN_SECONDS}

    def getticket(self, query):
        """cgi-bin/ticket/getticket?type=jsapi: the JS-SDK ticket."""
        token = self.server_tokens.get(query.get("access_token", ""))
        if not token:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        if time.time() - token["at"] > TOKEN_SECONDS:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if query.get("type") != "jsapi":
            return {"errcode": 40097, "errmsg": "invalid args"}
        return {"errcode": 0, "errmsg": "ok", "ticket": self.jsapi_ticket, "expires_in": 7200}

    def authorize(self, path, query):
        """WeChat's confirmation pages: 302 back with a code for the person
        named by ``simulate_person`` (what tests do instead of a phone)."""
        app = self.apps.get(query.get("appid", ""))
        scope = query.get("scope", "")
        if not app:
            return 200, None, "<p>appid 参数错误</p>"
        if (
            path.endswith("qrconnect") != (app["kind"] == "website")
            or scope not in SCOPES[app["kind"]]
        ):
            return 200, None, "<p>Scope 参数错误或没有 Scope 权限</p>"
        redirect_uri = query.get("redirect_uri")
        if not redirect_uri:
            return 200, None, "<p>redirect_uri 参数错误</p>"
        person = query.get("simulate_person")
        if not person:
            # what the phone would show: confirm as one of the simulated people
            choices = "".join(
                f'<p><a href="?{urlencode({**query, "simulate_person": key})}">'
                f"以「{html.escape(who['nickname'])}」的身份确认登录</a></p>"
                for key, who in self.people.items()
            )
            return 200, None, f"<h3>微信登录（模拟器）</h3>{choices}"
        code = self.issue_code(query["appid"], person, scope)
        separator = "&" if "?" in redirect_uri else "?"
        params = {"code": code, "state": query.get("state", "")}
        return 302, f"{redirect_uri}{separator}{urlencode(params)}", ""


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # quiet
        pass

    def do_GET(self):
        simulator = self.server.simulator
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        with simulator._lock:
            simulator.received.append({"path": url.path, "query": query})
            if url.path.startswith("/avatar/"):
                return self._send(200, "image/png", _png((7, 193, 96)))
            if url.path in ("/connect/qrconnect", "/connect/oauth2/authorize"):
                status, location, page = simulator.authorize(url.path, query)
                if status == 302:
                    self.send_response(302)
                    self.send_header("Location", location)
                    self.end_headers()
                    return None
                return self._send(200, "text/html; charset=utf-8", page.encode())
            handler = {
                "/sns/oauth2/access_token": simulator.access_token,
                "/sns/userinfo": simulator.userinfo,
                "/sns/jscode2session": simulator.jscode2session,
                "/cgi-bin/token": simulator.server_token,
                "/cgi-bin/ticket/getticket": simulator.getticket,
            }.get(url.path)
            if not handler:
                return self._send(404, "text/plain", b"not found")
            payload = handler(query)
        # WeChat answers errors with HTTP 200 too
        data = json.dumps(payload, ensure_ascii=False).encode()
        return self._send(200, "application/json; encoding=utf-8", data)

    def _send(self, status, content_type, data):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
