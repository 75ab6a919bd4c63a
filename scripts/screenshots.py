#!/usr/bin/env python3
"""Take the README's screenshots from a running demo (scripts/run).

    python3 scripts/screenshots.py [http://localhost:8069] [--payment | --livechat | --dashboard]

Drives headless Chromium over the DevTools protocol (websocket-client, the
same client Odoo's tours use): phone pages at 375 px with a WeChat user agent,
the back office at 1280 px after logging in as the demo administrator.
Writes PNGs to docs/screenshots/.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "docs", "screenshots")
WECHAT_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) "
    "NetType/WIFI Language/zh_CN"
)
PHONE = {"width": 375, "height": 740, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1280, "height": 760, "deviceScaleFactor": 1, "mobile": False}
DASHBOARD = {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}


class Browser:
    def __init__(self, port=9333):
        self.profile = tempfile.mkdtemp(prefix="fenxiao-shots-")
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=1) as res:
                    pages = [t for t in json.load(res) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30)
        self.ids = 0

    def send(self, method, **params):
        self.ids += 1
        self.ws.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.ids:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def open(self, url, device, user_agent=None, settle=2.5):
        self.send("Emulation.setDeviceMetricsOverride", **device)
        self.send("Emulation.setTouchEmulationEnabled", enabled=device["mobile"])
        if user_agent:
            # Chinese shoppers' phones ask for Chinese pages.
            self.send(
                "Network.setUserAgentOverride", userAgent=user_agent, acceptLanguage="zh-CN,zh"
            )
        self.send("Page.navigate", url=url)
        time.sleep(settle)

    def evaluate(self, expression):
        return self.send("Runtime.evaluate", expression=expression, awaitPromise=True)

    def shot(self, name, full_page=False):
        params = {"format": "png"}
        if full_page:
            # the whole page, not only what fits on the phone's screen
            # down to the end of the page's content, without the site's footer
            height = self.evaluate(
                "Math.ceil((document.querySelector('main') || document.body)"
                ".getBoundingClientRect().bottom + window.scrollY)"
            )["result"]["value"]
            width = self.evaluate("document.documentElement.clientWidth")["result"]["value"]
            params.update(
                captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": width, "height": min(height, 2400), "scale": 1},
            )
        data = self.send("Page.captureScreenshot", **params)["data"]
        path = os.path.join(OUT, name)
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))
        return path

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def login(browser, base, login):
    browser.open(f"{base}/web/session/logout", PHONE, WECHAT_UA, settle=2)
    browser.open(f"{base}/web/login", PHONE, WECHAT_UA)
    browser.evaluate(
        f"document.querySelector('#login').value='{login}';"
        f"document.querySelector('#password').value='{login}';"
        "document.querySelector('form.oe_login_form').submit()"
    )
    time.sleep(3)


def payment_shots(browser, base):
    """王芳 pays a cream with WeChat Pay, through the demo's simulator."""
    login(browser, base, "shopper")
    browser.open(f"{base}/shop?search=胜肽紧致面霜", PHONE, WECHAT_UA)
    browser.evaluate("document.querySelector('.oe_product_cart a').click()")
    time.sleep(3)
    browser.evaluate("document.querySelector('#add_to_cart').click()")
    time.sleep(3)
    # a new delivery address, the Chinese way (website_sale_address_cn)
    browser.open(f"{base}/shop/address?address_type=delivery", PHONE, WECHAT_UA, settle=3)
    # 收货人, then 省 → 市 → 区 from the lists, each list filled by the one before
    choose = (
        "(select, label) => { const s = document.querySelector(select);"
        " s.value = [...s.options].find((o) => o.text.includes(label)).value;"
        " s.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    fill = "(name, value) => { document.querySelector(`input[name='${name}']`).value = value; }"
    browser.evaluate(f"({fill})('name', '王芳')")
    for select, label in (
        ("select[name='state_id']", "浙江省"),
        ("#o_cn_prefecture", "杭州市"),
        ("#o_cn_county", "临平区"),
    ):
        browser.evaluate(f"({choose})({json.dumps(select)}, {json.dumps(label)})")
        time.sleep(1.5)
    browser.evaluate(f"({fill})('street', '南苑街道迎宾路 369 号 2 幢 801 室')")
    browser.shot("checkout-address-phone.png", full_page=True)
    browser.open(f"{base}/shop/checkout", PHONE, WECHAT_UA, settle=3)
    browser.evaluate(
        "document.querySelector(\"a[name='website_sale_main_button'][href*='confirm_order']\")"
        ".click()"
    )
    time.sleep(4)
    browser.evaluate(
        "document.querySelector(\"input[name='o_payment_radio'][data-provider-code='wechatpay']\")"
        ".click()"
    )
    time.sleep(1)
    browser.shot("pay-choose-phone.png", full_page=True)
    browser.evaluate("document.querySelector(\"button[name='o_payment_submit_button']\").click()")
    time.sleep(5)
    browser.shot("pay-wechat-qr-phone.png")
    # test mode: the simulator's cashier stands for the shopper's WeChat
    browser.evaluate("document.querySelector('.o_wechatpay_simulator').click()")
    time.sleep(3)
    browser.shot("pay-wechat-simulator.png")
    browser.evaluate("document.querySelector('button.btn-pay').click()")
    time.sleep(6)
    browser.shot("pay-done-phone.png", full_page=True)


def after_sales_shots(browser, base):
    """王芳's parcel on her order page and her return request (the demo's)."""
    login(browser, base, "shopper")
    browser.open(f"{base}/my/orders", PHONE, WECHAT_UA, settle=3)
    # the order whose page shows a parcel (the demo gives her newest shipped one)
    order_url = browser.evaluate(
        "(async () => { for (const a of document.querySelectorAll(\"a[href^='/my/orders/']\")) {"
        " const url = a.getAttribute('href');"
        " const html = await (await fetch(url)).text();"
        " if (html.includes('id=\"fenxiao_parcels\"')) { return url; } } return null; })()"
    )["result"].get("value")
    if order_url:
        browser.open(f"{base}{order_url}", PHONE, WECHAT_UA, settle=3)
        browser.evaluate(
            "document.querySelector('#fenxiao_parcels').scrollIntoView({block: 'start'});"
            "window.scrollBy(0, -72)"  # clear of the shop's sticky header
        )
        time.sleep(1)
        browser.shot("parcel-timeline-phone.png")
    browser.open(f"{base}/my/after_sales", PHONE, WECHAT_UA, settle=3)
    request_url = browser.evaluate(
        "([...document.querySelectorAll(\"a[href^='/my/after_sales/']\")]"
        ".map((a) => a.getAttribute('href'))"
        ".find((url) => /^\\/my\\/after_sales\\/\\d+$/.test(url)) || null)"
    )["result"].get("value")
    if request_url:
        browser.open(f"{base}{request_url}", PHONE, WECHAT_UA, settle=3)
        browser.shot("after-sales-request-phone.png", full_page=True)


def livechat_shots(base):
    """在线客服 on a phone: the contact page, and the chat opened on a product
    page. The chat is offered only while someone can answer, so 小美 (the
    demo's 客服) is signed in to the back office in a browser of her own."""
    kefu = Browser(port=9334)
    try:
        kefu.open(f"{base}/web/login", DESKTOP)
        kefu.evaluate(
            "document.querySelector('#login').value='kefu';"
            "document.querySelector('#password').value='kefu';"
            "document.querySelector('form.oe_login_form').submit()"
        )
        time.sleep(3)
        kefu.open(f"{base}/odoo/discuss", DESKTOP, settle=8)  # online from now on
        shopper = Browser(port=9335)
        try:
            shopper.open(f"{base}/contactus", PHONE, WECHAT_UA, settle=5)
            shopper.shot("contact-phone.png", full_page=True)
            shopper.open(f"{base}/shop?search=洁面", PHONE, WECHAT_UA)
            shopper.evaluate("document.querySelector('.oe_product_cart a').click()")
            time.sleep(4)
            # Odoo's chat button, in the shadow root the live chat lives in
            shopper.evaluate(
                "document.querySelector('.o-livechat-root').shadowRoot"
                ".querySelector('.o-livechat-LivechatButton').click()"
            )
            time.sleep(3)
            shopper.evaluate(
                "(() => { const input = document.querySelector('.o-livechat-root').shadowRoot"
                ".querySelector('.o-mail-Composer-input');"
                " input.value = '请问这款洁面敏感肌能用吗？';"
                " input.dispatchEvent(new Event('input', {bubbles: true}));"
                " input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));"
                " })()"
            )
            time.sleep(3)
            shopper.shot("livechat-phone.png")
        finally:
            shopper.close()
    finally:
        kefu.close()


def admin_login(browser, base):
    browser.send("Network.setUserAgentOverride", userAgent="Mozilla/5.0 Chrome/130 Safari/537.36")
    browser.open(f"{base}/web/login", DESKTOP)
    browser.evaluate(
        "document.querySelector('#login').value='admin';"
        "document.querySelector('#password').value='admin';"
        "document.querySelector('form.oe_login_form').submit()"
    )
    time.sleep(3)


def dashboard_shot(browser, base):
    """The distribution dashboard (分销 › Reporting › Dashboard) with the demo's figures."""
    action = "spreadsheet_dashboard_fenxiao.action_fenxiao_dashboard"
    browser.open(f"{base}/odoo/action-{action}", DASHBOARD, settle=15)
    browser.shot("dashboard.png")


def main():
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    base = args[0] if args else "http://localhost:8069"
    os.makedirs(OUT, exist_ok=True)
    browser = Browser()
    if "--livechat" in sys.argv:  # only the live chat pages
        browser.close()
        livechat_shots(base)
        return
    if "--dashboard" in sys.argv:  # only the dashboard
        try:
            admin_login(browser, base)
            browser.open(f"{base}/odoo", DESKTOP, settle=10)
            dashboard_shot(browser, base)
        finally:
            browser.close()
        return
    if "--payment" in sys.argv:  # only the payment pages
        try:
            browser.send("Network.enable")
            payment_shots(browser, base)
        finally:
            browser.close()
        return
    try:
        browser.send("Network.enable")
        browser.open(f"{base}/shop", PHONE, WECHAT_UA, settle=4)
        browser.shot("shop-phone.png")
        browser.open(f"{base}/shop?search=口红", PHONE, WECHAT_UA)
        browser.evaluate("document.querySelector('.oe_product_cart a').click()")
        time.sleep(3)
        browser.shot("product-phone.png")
        # signing in by mobile number and SMS code, as a shopper sees it
        browser.open(f"{base}/web/login/phone", PHONE, WECHAT_UA, settle=3)
        browser.evaluate(
            "document.querySelector('input[name=phone]').value = '139 0000 1234';"
            "document.querySelector('.o_phone_otp_send').click()"
        )
        time.sleep(2)
        browser.shot("login-phone.png")
        browser.send(
            "Network.setUserAgentOverride", userAgent="Mozilla/5.0 Chrome/130 Safari/537.36"
        )
        browser.open(f"{base}/web/login", DESKTOP)
        browser.evaluate(
            "document.querySelector('#login').value='admin';"
            "document.querySelector('#password').value='admin';"
            "document.querySelector('form.oe_login_form').submit()"
        )
        time.sleep(3)
        # the first back-office page builds the web client's assets: let it
        browser.open(f"{base}/odoo", DESKTOP, settle=10)
        browser.open(f"{base}/odoo/action-fenxiao.action_fenxiao_network", DESKTOP, settle=6)
        browser.shot("network.png")
        browser.open(f"{base}/odoo/action-fenxiao.action_fenxiao_distributor", DESKTOP, settle=4)
        browser.evaluate(
            "[...document.querySelectorAll('.o_data_row')]"
            ".find((row) => row.querySelector('.o_data_cell').textContent.trim() === '李娜')"
            ".querySelector('.o_data_cell').click()"
        )
        time.sleep(3)
        # her commission: balances from the accounting, payout accounts
        browser.evaluate(
            "[...document.querySelectorAll('.o_notebook .nav-link')]"
            ".find((tab) => tab.textContent.includes('佣金')).click()"
        )
        time.sleep(1.5)
        browser.shot("distributor.png")
        commission = "fenxiao_commission.action_fenxiao_commission_line"
        browser.open(f"{base}/odoo/action-{commission}?view_type=graph", DESKTOP, settle=5)
        browser.shot("commission.png")
        browser.open(
            f"{base}/odoo/action-fenxiao_commission.action_fenxiao_commission_settlement",
            DESKTOP,
            settle=4,
        )
        browser.evaluate("document.querySelector('.o_data_row .o_data_cell').click()")
        time.sleep(2.5)
        browser.evaluate("document.querySelector('button[name=action_view_move]').click()")
        time.sleep(3)
        browser.shot("settlement.png")
        browser.open(
            f"{base}/odoo/action-fenxiao_commission.action_fenxiao_withdrawal", DESKTOP, settle=4
        )
        # all requests, not only those to review
        browser.evaluate("document.querySelector('.o_searchview .o_facet_remove').click()")
        time.sleep(2.5)
        browser.shot("withdrawal.png")
        dashboard_shot(browser, base)
        browser.open(f"{base}/odoo/action-sale.product_template_action", DESKTOP, settle=5)
        # The apps menu open on the catalog, so the 分销 app shows beside Odoo's.
        browser.evaluate("document.querySelector('.o_navbar_apps_menu .dropdown-toggle').click()")
        time.sleep(1.5)
        browser.shot("backoffice.png")
        review = "website_sale_fenxiao.action_fenxiao_products_to_review"
        browser.open(f"{base}/odoo/action-{review}", DESKTOP, settle=4)
        browser.shot("product-review.png")
        # the after-sales queue: age, type, amount and status of each request
        queue = "fenxiao_after_sales.action_fenxiao_after_sales"
        browser.open(f"{base}/odoo/action-{queue}", DESKTOP, settle=4)
        browser.shot("after-sales-queue.png")
        # 我的分销 on 李娜's phone
        browser.open(f"{base}/web/session/logout", PHONE, WECHAT_UA, settle=2)
        browser.open(f"{base}/web/login", PHONE, WECHAT_UA)
        browser.evaluate(
            "document.querySelector('#login').value='distributor';"
            "document.querySelector('#password').value='distributor';"
            "document.querySelector('form.oe_login_form').submit()"
        )
        time.sleep(3)
        for page, name in (
            ("/my/fenxiao", "centre-overview.png"),
            ("/my/fenxiao/orders", "centre-orders.png"),
            ("/my/fenxiao/withdraw", "centre-withdraw.png"),
            ("/my/fenxiao/invite", "centre-invite.png"),
        ):
            browser.open(f"{base}{page}", PHONE, WECHAT_UA, settle=3)
            browser.shot(name, full_page=True)
        # the card a friend sees in a WeChat chat (the JS-SDK's share data)
        browser.evaluate(
            "document.querySelector('.o_fenxiao_share_card').scrollIntoView({block: 'center'})"
        )
        time.sleep(1)
        browser.shot("share-card-phone.png")
        browser.open(f"{base}/my/fenxiao/invite/poster.png", PHONE, WECHAT_UA, settle=2)
        browser.shot("centre-poster.png")
        # a product page as she sees it: share and earn, and its poster
        browser.open(f"{base}/shop?search=胜肽紧致面霜", PHONE, WECHAT_UA)
        browser.evaluate("document.querySelector('.oe_product_cart a').click()")
        time.sleep(3)
        browser.evaluate(
            "document.querySelector('.o_fenxiao_share_earn').scrollIntoView({block: 'center'})"
        )
        time.sleep(1)
        browser.shot("product-share.png")
        poster = browser.evaluate(
            "document.querySelector('.o_fenxiao_share_earn_poster').getAttribute('href')"
        )["result"]["value"]
        browser.open(f"{base}{poster}", PHONE, WECHAT_UA, settle=2)
        browser.shot("product-poster.png")
        payment_shots(browser, base)
        after_sales_shots(browser, base)
    finally:
        browser.close()
    livechat_shots(base)
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
