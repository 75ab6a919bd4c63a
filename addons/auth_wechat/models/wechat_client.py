"""WeChat sign-in on wechatpy: website QR login, official account web
authorisation and the mini-program's code2session; the official account's
JS-SDK configuration (sharing a page inside WeChat).

Pure Python (no Odoo import) so that it is tested without a database. The
access tokens and session keys WeChat returns stay in the dicts this module
returns to the server code; nothing here logs or formats them.
"""

import time

import requests
from wechatpy.client import WeChatClient
from wechatpy.exceptions import WeChatClientException, WeChatOAuthException
from wechatpy.oauth import WeChatOAuth
from wechatpy.utils import random_string

TIMEOUT_SECONDS = 10


class WeChatError(Exception):
    """WeChat refused (``errcode`` is WeChat's: 40029 invalid code, 40163 code
    been used, 40013 invalid appid, 40125 invalid appsecret, 45011 rate
    limit…) or could not be reached (``errcode`` -1)."""

    def __init__(self, errcode, errmsg=""):
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WeChatLogin:
    """One WeChat app (website, official account or mini-program)."""

    def __init__(self, appid, secret, api_base=None, open_base=None, timeout=TIMEOUT_SECONDS):
        self.appid = appid
        self.secret = secret
        self.timeout = timeout
        # wechatpy reads its base URLs from the instance first: a simulator
        # (http://127.0.0.1:PORT/) replaces api.weixin.qq.com / open.weixin.qq.com
        self.api_base = (api_base or WeChatOAuth.API_BASE_URL).rstrip("/") + "/"
        self.open_base = (open_base.rstrip("/") + "/connect/") if open_base else None

    def _oauth(self, redirect_uri="", scope="snsapi_base", state=""):
        oauth = WeChatOAuth(self.appid, self.secret, redirect_uri, scope=scope, state=state)
        oauth.API_BASE_URL = self.api_base
        if self.open_base:
            oauth.OAUTH_BASE_URL = self.open_base
        return oauth

    def _get(self, endpoint, params):
        try:
            return self._oauth()._get(endpoint, params=params, timeout=self.timeout)
        except WeChatOAuthException as error:
            raise WeChatError(error.errcode or -1, error.errmsg or "HTTP error") from error
        except (requests.RequestException, ValueError) as error:
            raise WeChatError(-1, f"WeChat unreachable: {type(error).__name__}") from error

    # -- the pages WeChat shows ----------------------------------------------------
    def website_qr_url(self, redirect_uri, state):
        """网站应用: WeChat's QR code page (scope snsapi_login)."""
        return self._oauth(redirect_uri, "snsapi_login", state).qrconnect_url

    def oauth_url(self, redirect_uri, state, scope):
        """公众号网页授权, inside WeChat (scope snsapi_base or snsapi_userinfo)."""
        return self._oauth(redirect_uri, scope, state).authorize_url

    # -- server to server ----------------------------------------------------------
    def exchange_code(self, code):
        """The redirect's code → {openid, unionid (or None), access_token, scope}."""
        result = self._get(
            "sns/oauth2/access_token",
            {
                "appid": self.appid,
                "secret": self.secret,
                "code": code,
                "grant_type": "authorization_code",
            },
        )
        if not result.get("openid") or not result.get("access_token"):
            raise WeChatError(-1, "answer without openid")
        return {
            "openid": result["openid"],
            "unionid": result.get("unionid") or None,
            "access_token": result["access_token"],
            "scope": result.get("scope", ""),
        }

    def user_info(self, access_token, openid):
        """The profile (nickname, headimgurl, unionid…) of snsapi_userinfo or
        snsapi_login."""
        return self._get(
            "sns/userinfo", {"access_token": access_token, "openid": openid, "lang": "zh_CN"}
        )

    def code_to_session(self, js_code):
        """The mini-program's wx.login() code → {openid, unionid or None, session_key}."""
        result = self._get(
            "sns/jscode2session",
            {
                "appid": self.appid,
                "secret": self.secret,
                "js_code": js_code,
                "grant_type": "authorization_code",
            },
        )
        if not result.get("openid"):
            raise WeChatError(-1, "answer without openid")
        return {
            "openid": result["openid"],
            "unionid": result.get("unionid") or None,
            "session_key": result.get("session_key"),
        }


class _OfficialAccountClient(WeChatClient):
    """wechatpy's server-side client, its token URL on the base URL too
    (wechatpy writes api.weixin.qq.com there)."""

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


class WeChatJSSDK:
    """The official account's JS-SDK: ``wx.config`` for one page.

    ``session`` is a wechatpy session storage: the server access token and
    the jsapi_ticket (two hours each, with a daily quota at WeChat) are kept
    there, not fetched per page."""

    JS_API_LIST = ("updateAppMessageShareData", "updateTimelineShareData")

    def __init__(self, appid, secret, session, api_base=None, timeout=TIMEOUT_SECONDS):
        self.appid = appid
        self.client = _OfficialAccountClient(appid, secret, session=session, timeout=timeout)
        base = (api_base or "https://api.weixin.qq.com/").rstrip("/") + "/"
        self.client.API_BASE_URL = base + "cgi-bin/"

    def ticket(self):
        try:
            return self.client.jsapi.get_jsapi_ticket()
        except WeChatClientException as error:
            raise WeChatError(error.errcode or -1, error.errmsg or "HTTP error") from error
        except (requests.RequestException, ValueError, KeyError) as error:
            raise WeChatError(-1, f"WeChat unreachable: {type(error).__name__}") from error

    def signature(self, ticket, noncestr, timestamp, url):
        """SHA1 of jsapi_ticket, noncestr, timestamp and the page's URL
        without its #fragment, as WeChat checks it."""
        url = url.split("#", 1)[0]
        return self.client.jsapi.get_jsapi_signature(noncestr, ticket, timestamp, url)

    def config(self, url):
        """What the page passes to ``wx.config``."""
        noncestr = random_string(16)
        timestamp = int(time.time())
        return {
            "appId": self.appid,
            "timestamp": timestamp,
            "nonceStr": noncestr,
            "signature": self.signature(self.ticket(), noncestr, timestamp, url),
            "jsApiList": list(self.JS_API_LIST),
        }
