import re
from urllib.parse import parse_qs, urlsplit

import requests

from odoo.tests import HttpCase

from .wechat_simulator import WeChatSimulator

WECHAT_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI"
)


class WeChatCase(HttpCase):
    """A shop with a website app, an official account and a mini-program on
    one open platform account, all pointed at the local simulator."""

    def setUp(self):
        super().setUp()
        self.simulator = WeChatSimulator().start()
        self.addCleanup(self.simulator.stop)
        sim = self.simulator
        sim.add_app("wxweb000000000001", "web-secret", "website", open_platform="yunshang")
        sim.add_app("wxmp0000000000001", "mp-secret", "official_account", open_platform="yunshang")
        sim.add_app("wxmini000000000001", "mini-secret", "miniprogram", open_platform="yunshang")
        sim.add_person("xiaohong", "小红")
        sim.add_person("laowang", "老王")
        self.params = self.env["ir.config_parameter"].sudo()
        for key, value in {
            "website_appid": "wxweb000000000001",
            "website_secret": "web-secret",
            "official_appid": "wxmp0000000000001",
            "official_secret": "mp-secret",
            "miniprogram_appid": "wxmini000000000001",
            "miniprogram_secret": "mini-secret",
            "api_base": sim.url,
            "open_base": sim.url,
        }.items():
            self.params.set_param(f"auth_wechat.{key}", value)
        self.env["website"].search([]).auth_signup_uninvited = "b2c"
        self.responses = []

    def _open(self, url, **kwargs):
        # the website's default language: no /en/ redirect in between
        self.opener.cookies.set("frontend_lang", "zh_CN")
        response = self.url_open(url, allow_redirects=False, **kwargs)
        self.responses.append(response)
        return response

    def _wechat_login(self, person, url="/auth_wechat/login", in_wechat=False):
        """Start a sign-in, confirm it on the simulated WeChat as ``person``,
        come back: the callback's response (a redirect when signed in)."""
        headers = {"User-Agent": WECHAT_UA} if in_wechat else {}
        response = self._open(url, headers=headers)
        while True:
            if response.status_code != 303:
                return response  # a page telling what went wrong
            location = response.headers["Location"]
            if not location.startswith(self.simulator.url):
                return response
            # WeChat's page: the person confirms (the fragment stays in the browser)
            wechat_page = location.split("#")[0] + f"&simulate_person={person}"
            confirmed = requests.get(wechat_page, allow_redirects=False, timeout=10)
            self.assertEqual(confirmed.status_code, 302, confirmed.text[:300])
            response = self._open(confirmed.headers["Location"], headers=headers)

    def _callback_params(self, location):
        return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}

    def _assert_no_wechat_secret_leaked(self):
        for response in self.responses:
            shown = response.text + " ".join(response.headers.values())
            for token in self.simulator.tokens:
                self.assertNotIn(token, shown, "WeChat's access token stays on the server")

    def _reason(self, response):
        found = re.search(r'data-reason="([^"]*)"', response.text)
        return found and found.group(1)
