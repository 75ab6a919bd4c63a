"""Shoppers and distributors on the shop, for Locust (run by scripts/bench_load.py).

The same tasks run against the suite and against vanilla Odoo's shop, each
request named by its page so that the two CSV files line up. Everything comes
from the plan file that bench_load.py writes (FENXIAO_LOAD_PLAN): the side,
the signed-in sessions (one per Locust user), the pages to visit and how to
pay (the suite: WeChat Pay through its simulator; vanilla: payment_demo).

``mode = "load"``: shoppers browse, search, add to the cart, check out and
pay, again and again; a quarter as many open their account (the suite:
distributors, their centre; vanilla: customers, /my).
``mode = "peak"``: each shopper tries once to buy the flash-sale product; the
outcome of each is counted and written to FENXIAO_LOAD_RESULT at the end.

Runs in its own environment (requirements-load.txt), never in Odoo's.
"""

import html
import itertools
import json
import os
import re
import threading
import time

from locust import HttpUser, SequentialTaskSet, between, events, task
from locust.exception import StopUser

with open(os.environ["FENXIAO_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
# a phone's browser: the suite pays by WeChat Pay's H5 page on a phone
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
_sessions = {
    kind: itertools.cycle(PLAN[kind]) for kind in ("shoppers", "distributors") if PLAN[kind]
}
# how shoppers pay: Odoo's demo provider (both sides) or WeChat Pay (the suite)
_providers = itertools.cycle(PLAN["providers"])
PAGE_NAMES = {
    "demo": {
        "transaction": "payment transaction",
        "pay": "pay",
        "status": "payment status page",
        "poll": "payment status poll",
    },
    "wechatpay": {
        "transaction": "WeChat Pay: transaction",
        "pay": "WeChat Pay: pay",
        "status": "WeChat Pay: status page",
        "poll": "WeChat Pay: status poll",
    },
}
_lock = threading.Lock()
OUTCOMES = {}


def count(outcome):
    with _lock:
        OUTCOMES[outcome] = OUTCOMES.get(outcome, 0) + 1
        return sum(OUTCOMES.values())


@events.quitting.add_listener
def write_outcomes(environment, **_kwargs):
    if os.environ.get("FENXIAO_LOAD_RESULT"):
        with open(os.environ["FENXIAO_LOAD_RESULT"], "w", encoding="utf-8") as out:
            json.dump(OUTCOMES, out)


def attribute(page, name):
    found = re.search(rf'{name}="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else None


def json_rpc(user, url, name, params):
    """A JSON-RPC call as the shop's JavaScript makes it; its result, or None."""
    with user.client.post(
        url,
        json={"jsonrpc": "2.0", "method": "call", "params": params},
        name=name,
        catch_response=True,
    ) as answer:
        if answer.status_code != 200:
            answer.failure(f"HTTP {answer.status_code}")
            return None
        data = answer.json()
        if "error" in data:
            answer.failure(data["error"].get("data", {}).get("message", "error"))
            return None
        return data.get("result")


class Shop(HttpUser):
    abstract = True
    kind = "shoppers"

    def on_start(self):
        with _lock:
            session = next(_sessions[self.kind])
            self.provider = next(_providers)
        self.client.headers["User-Agent"] = PHONE
        self.client.cookies.set("session_id", session)

    # -- the steps, shared by the load and the peak ---------------------------------
    def add_to_cart(self, product_id, name="add to cart"):
        return json_rpc(
            self, "/shop/cart/update_json", name, {"product_id": product_id, "add_qty": 1}
        )

    def checkout(self):
        """The cart's checkout: the address and delivery page (signed-in shoppers
        with an address skip the address form), then confirm to the payment page."""
        self.client.get("/shop/checkout?try_skip_step=true", name="checkout")
        with self.client.get(
            "/shop/confirm_order", name="confirm → payment page", catch_response=True
        ) as answer:
            page = answer.text
            if answer.status_code != 200 or "o_payment_form" not in page:
                answer.failure(f"no payment form at {answer.url}")
                return None
            return page

    def pay(self, page):
        """Pay from the payment page, as its JavaScript does, then poll the status."""
        code = self.provider
        # WeChat Pay's pages are named apart: vanilla Odoo has no counterpart
        names = PAGE_NAMES[code]
        radio = re.search(rf'<input[^>]*data-provider-code="{code}"[^>]*>', page)
        if not radio:
            return False
        radio = radio.group(0)
        result = json_rpc(
            self,
            attribute(page, "data-transaction-route"),
            names["transaction"],
            {
                "provider_id": int(attribute(radio, "data-provider-id")),
                "payment_method_id": int(attribute(radio, "data-payment-option-id")),
                "token_id": None,
                "amount": float(attribute(page, "data-amount")),
                "flow": "direct" if code == "demo" else "redirect",
                "tokenization_requested": False,
                "landing_route": attribute(page, "data-landing-route"),
                "is_validation": False,
                "access_token": attribute(page, "data-access-token"),
                "csrf_token": attribute(page, "data-csrf-token") or "",
            },
        )
        if not result:
            return False
        if code == "demo":
            json_rpc(
                self,
                "/payment/demo/simulate_payment",
                "pay",
                {
                    "reference": result["reference"],
                    "payment_details": "4242",
                    "simulated_state": "done",
                },
            )
            self.client.get("/payment/status", name="payment status page")
        else:
            # WeChat Pay H5 on a phone: the redirect form goes to the cashier
            # (the simulator here), whose 确认支付 pays, notifies the shop and
            # sends the shopper back to the shop's return page
            form = result["redirect_form_html"]
            answer = self.client.post(
                f"{PLAN['simulator']}/simulator/pay/confirm",
                data={
                    "code": attribute(form, 'name="code" value'),
                    "redirect_url": attribute(form, 'name="redirect_url" value'),
                },
                name=names["pay"],
                allow_redirects=False,
            )
            # back to the shop: its return page sends the shopper on to /payment/status
            if answer.headers.get("Location"):
                self.client.get(answer.headers["Location"], name=names["status"])
        return self.poll(names["poll"])

    def poll(self, name="payment status poll", tries=10):
        """The status page's polling: Odoo answers "retry" while another request
        post-processes the payment, and the page asks again a moment later."""
        for _try in range(tries):
            with self.client.post(
                "/payment/status/poll",
                json={"jsonrpc": "2.0", "method": "call", "params": {"csrf_token": ""}},
                name=name,
                catch_response=True,
            ) as answer:
                data = answer.json() if answer.status_code == 200 else {}
                error = data.get("error", {}).get("data", {}).get("message")
                if answer.status_code != 200 or (error and error != "retry"):
                    answer.failure(error or f"HTTP {answer.status_code}")
                    return False
                if not error and data.get("result", {}).get("state") == "done":
                    return True
            time.sleep(2)
        return False


class ShopperTasks(SequentialTaskSet):
    """One visit: browse, search, a product, the cart, check out, pay."""

    @task
    def home(self):
        self.client.get("/", name="home")

    @task
    def shop(self):
        self.client.get("/shop", name="/shop")

    @task
    def category(self):
        self.client.get(PLAN["category"], name="category")

    @task
    def search(self):
        self.client.get("/shop", params={"search": PLAN["search"]}, name="search")

    @task
    def product(self):
        self.client.get(PLAN["product"], name="product page")

    @task
    def add_to_cart(self):
        self.user.add_to_cart(PLAN["product_id"])

    @task
    def cart(self):
        self.client.get("/shop/cart", name="cart")

    @task
    def checkout_and_pay(self):
        page = self.user.checkout()
        if page:
            self.user.pay(page)


class Shopper(Shop):
    wait_time = between(1, 3)
    tasks = [ShopperTasks]


class Distributor(Shop):
    """Opens their account: on the suite a distributor's centre (我的分销) and
    the orders their team brought, on vanilla Odoo a customer's /my and orders."""

    kind = "distributors"
    # as many on top of the shoppers as the plan says: the shoppers are the
    # same number on both sides
    fixed_count = PLAN.get("distributor_users", 0)
    wait_time = between(1, 3)

    @task
    def centre(self):
        centre, orders = PLAN["centre_pages"]
        self.client.get(centre, name="my centre")
        self.client.get(orders, name="my orders")


class PeakShopper(Shop):
    """Tries once to buy the flash-sale product, then leaves."""

    wait_time = between(0, 0)

    @task
    def try_once(self):
        cart = self.add_to_cart(PLAN["product_id"])
        if cart is None:
            outcome = "error"
        elif not cart.get("quantity"):
            warning = str((cart.get("notification_info") or {}).get("warning") or "")
            outcome = "sold out" if PLAN["sold_out"] in warning else f"refused: {warning[:60]}"
        else:
            page = self.checkout()
            outcome = "paid" if page and self.pay(page) else "got a unit, not paid"
        if count(outcome) >= len(PLAN["shoppers"]):
            self.environment.runner.quit()
        raise StopUser()


# the users of this run: the peak's, or the load's
Shopper.abstract = PLAN["mode"] == "peak"
Distributor.abstract = PLAN["mode"] == "peak" or not PLAN["distributors"]
PeakShopper.abstract = PLAN["mode"] != "peak"
