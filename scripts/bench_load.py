"""The shop under load, run by scripts/bench (``--load``, ``--peak``).

``--load``: the same Locust scenario (scripts/locustfile.py) against the
suite's shop and against vanilla Odoo's shop with the same catalog, one after
the other, each an Odoo server with workers on a throwaway copy of its
database: signed-in shoppers browse, search, add to the cart, check out and
pay with Odoo's demo provider; a quarter as many open their account (the
suite: distributors, their centre; vanilla: customers, /my). A third run of
the suite pays with WeChat Pay through its simulator. Printed: per page,
requests/s, p50 / p95 / p99 as Locust saw them, and the median queries and
server time from Odoo's log; the verdict compares the server time (what a
page costs, without the time it queued behind others).

``--peak``: a flash sale of 100 units (limit 1 per shopper, stock 100) and
500 signed-in shoppers started at once, each trying once to buy one. Printed:
what the database holds afterwards (units taken, orders, stock, payments,
commission lines) and what the shoppers were answered.

Vanilla Odoo's shop, ``<bench>_shop_vanilla``, is the commission bench's
vanilla database (every Odoo and OCA module the suite's bench database has:
website_sale, its loyalty, live chat, brands...; Chinese company, CNY,
zh_CN) with payment_demo, built once, with the suite demo's published
products, variants, categories, brands, tags, promotions and chat button
copied into it: a difference between the sides is what the suite adds, not
what the Odoo modules it relies on or the demo's data cost.

Locust lives in an environment of its own (``$FENXIAO_CACHE/load-venv``,
requirements-load.txt), made at the first run: it pins versions of
Werkzeug, gevent and requests other than Odoo's. Traffic goes only to
127.0.0.1, for a bounded time.
"""

import csv
import html
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import bench_commission
import fenxiao_env
from bench_cluster import wait_for
from bench_commission import copy_database, environment

CACHE = os.path.abspath(
    os.environ.get("FENXIAO_CACHE")
    or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "fenxiao")
)
LOAD_VENV = os.path.join(CACHE, "load-venv")
REQUIREMENTS = os.path.join(fenxiao_env.ROOT, "requirements-load.txt")
LOCUSTFILE = os.path.join(fenxiao_env.ROOT, "scripts", "locustfile.py")
# (the proxy's, Odoo's http, Odoo's gevent) per side, and the WeChat Pay simulator
PORTS = {"suite": (8290, 8295, 8291), "vanilla": (8292, 8296, 8293)}
SIMULATOR_PORT = 8294
WORKERS = 2
# As in production, a proxy in front: it queues what the workers cannot take
# yet (Odoo's own listen queue holds 8 per worker; 500 shoppers at once would
# see their connections dropped), and hands Odoo a few at a time.
HAPROXY_CFG = """\
global
    maxconn 4000
defaults
    mode http
    option http-server-close
    timeout connect 5s
    timeout client 600s
    timeout server 600s
    timeout queue 600s
frontend shop
    bind 127.0.0.1:{front}
    default_backend odoo
backend odoo
    server odoo 127.0.0.1:{port} maxconn {maxconn}
"""
SEARCH = "面霜"
CATEGORY = "面霜与眼霜"
PRODUCT = "云裳 胜肽紧致面霜 50g"
SOLD_OUT = "已抢光"
# a phone's browser, as locustfile.py's shoppers
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
COST_ROUNDS = 40
COST_WARM_UP = (
    2  # visits of each worker not counted  # "Sold out: ..." of fenxiao_flash_sale, in zh_CN
)
# what vanilla's shop holds besides the catalog (promotions, brands, tags, chat,
# ways to pay): a shop built by an older bench is built again
SHOP_VERSION = "2"
SHOP_VERSION_KEY = "fenxiao_bench.shop_version"
# vanilla pays with Odoo's demo provider (the suite with WeChat Pay's simulator)
PAYMENT_MODULE = "payment_demo"
PAGES = (
    "home",
    "/shop",
    "category",
    "search",
    "product page",
    "add to cart",
    "cart",
    "checkout",
    "confirm → payment page",
    "payment transaction",
    "pay",
    "payment status page",
    "payment status poll",
    "WeChat Pay: transaction",
    "WeChat Pay: pay",
    "WeChat Pay: status page",
    "WeChat Pay: status poll",
    "my centre",
    "my orders",
)
# different pages on the two sides (a distributor's centre, a customer's account)
ACCOUNT_PAGES = ("my centre", "my orders")
# pages of the suite's third run, paying with WeChat Pay: vanilla has none
WECHATPAY_PAGES = [page for page in PAGES if page.startswith("WeChat Pay")]


# ----------------------------------------------------------------------
# Locust's environment
# ----------------------------------------------------------------------
def locust_command():
    """Locust from its own environment, made (again) when requirements-load.txt changed."""
    with open(REQUIREMENTS, encoding="utf-8") as req:
        wanted = req.read()
    stamp = os.path.join(LOAD_VENV, "fenxiao-requirements.txt")
    python = os.path.join(LOAD_VENV, "bin", "python")
    current = open(stamp, encoding="utf-8").read() if os.path.exists(stamp) else None  # noqa: SIM115
    if current != wanted:
        print(f"bench: making Locust's environment in {LOAD_VENV}", flush=True)
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", "--clear", LOAD_VENV], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [python, "-m", "pip", "install", "-q", "-r", REQUIREMENTS], check=True
        )
        with open(stamp, "w", encoding="utf-8") as out:
            out.write(wanted)
    return [python, "-m", "locust"]


# ----------------------------------------------------------------------
# Vanilla Odoo's shop with the suite's catalog
# ----------------------------------------------------------------------
def ensure_vanilla_shop(dbname, rebuild=False):
    """``<bench>_shop_vanilla``: a copy of the commission bench's vanilla
    database (every Odoo and OCA module the suite's bench database has, demo
    data, no suite) with payment_demo and the suite demo's catalog; built
    again when that vanilla database is. Returns its name and the modules."""
    name = f"{dbname}_shop_vanilla"
    vanilla, modules, rebuilt = bench_commission.ensure_vanilla(dbname, rebuild)
    if (
        not rebuilt
        and fenxiao_env.database_exists(name)
        and not set(modules) - bench_commission.installed_modules(name)
        and shop_version(name) == SHOP_VERSION
    ):
        return name, modules
    print(f"bench: building {name} from {vanilla}", flush=True)
    work = name + fenxiao_env.BUILDING_SUFFIX
    fenxiao_env.drop_database(work)
    config = fenxiao_env.odoo_config()
    config["list_db"] = True
    odoo = fenxiao_env.import_odoo()
    odoo.sql_db.close_db(vanilla)
    odoo.service.db.exp_duplicate_database(vanilla, work)
    log = os.path.join(fenxiao_env.ROOT, ".test-logs", "bench-build.log")
    if fenxiao_env.run_odoo(work, "-i", PAYMENT_MODULE, "--stop-after-init", "--no-http", log=log):
        fenxiao_env.fail(f"installing {PAYMENT_MODULE} into {work} failed, see {log}")
    # the duplication loaded the copy's models without it: load them again
    odoo.modules.registry.Registry.delete(work)
    copy_catalog(dbname, work)
    odoo.sql_db.close_db(work)
    fenxiao_env.drop_database(name)
    fenxiao_env.rename_database(work, name)
    return name, modules


def shop_version(dbname):
    """What copy_catalog version built vanilla's shop ``dbname`` (None: older)."""
    conn = fenxiao_env.connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [SHOP_VERSION_KEY])
            row = cr.fetchone()
            return row[0] if row else None
    finally:
        conn.close()


def copy_catalog(source_db, target_db):
    """The suite demo's published products (names, prices, images, variants,
    shop and internal categories, brands, tags) and its running promotions
    into ``target_db``, whose own products leave the shop: both sides then
    show, price and promote the same catalog, and what differs is the code."""
    src, _company = environment(source_db)
    dst, _company = environment(target_db)
    src, dst = src(context={"lang": "zh_CN"}), dst(context={"lang": "zh_CN"})
    try:
        website = dst["website"].search([], limit=1)
        website.write(
            {
                "language_ids": [(4, dst.ref("base.lang_zh_CN").id)],
                "default_lang_id": dst.ref("base.lang_zh_CN").id,
            }
        )
        dst["product.template"].search([]).write({"is_published": False})
        dst["product.public.category"].search([]).unlink()
        categories = {}
        for categ in src["product.public.category"].search([], order="parent_path"):
            categories[categ.id] = dst["product.public.category"].create(
                {
                    "name": categ.name,
                    "sequence": categ.sequence,
                    "parent_id": categories[categ.parent_id.id].id if categ.parent_id else False,
                    "image_1920": categ.image_1920,
                }
            )
        templates = src["product.template"].search(
            [("is_published", "=", True), ("sale_ok", "=", True)]
        )
        copied = {}
        for template in templates:
            copied[template] = dst["product.template"].create(
                {
                    "name": template.name,
                    "type": "consu",
                    "list_price": template.list_price,
                    "description_sale": template.description_sale,
                    "website_description": template.website_description,
                    "website_sequence": template.website_sequence,
                    "image_1920": template.image_1920,
                    "categ_id": same_named(dst, template.categ_id, "complete_name").id,
                    "product_brand_id": same_named(dst, template.product_brand_id).id,
                    "product_tag_ids": [
                        (6, 0, [same_named(dst, tag).id for tag in template.product_tag_ids])
                    ],
                    "public_categ_ids": [
                        (6, 0, [categories[c.id].id for c in template.public_categ_ids])
                    ],
                    "attribute_line_ids": [
                        (0, 0, {"attribute_id": attribute.id, "value_ids": [(6, 0, values.ids)]})
                        for attribute, values in (
                            copy_attribute(dst, line) for line in template.attribute_line_ids
                        )
                    ],
                    "is_published": True,
                }
            )
        programs = copy_promotions(src, dst, copied)
        dst["ir.config_parameter"].set_param(SHOP_VERSION_KEY, SHOP_VERSION)
        chat = src["website"].search([], limit=1).channel_id
        if chat:
            # the same live chat button (its operator's presence is a query a page)
            website.channel_id = dst["im_livechat.channel"].create(
                {"name": chat.name, "user_ids": [(6, 0, dst.ref("base.user_admin").ids)]}
            )
        provider = dst.ref("payment.payment_provider_demo")
        provider.write({"state": "test", "is_published": True})
        # as many ways to pay on the payment page as the suite's shop offers
        # beside the demo provider (WeChat Pay, Alipay): demo providers again
        offered = src["payment.provider"].search_count(
            [("state", "!=", "disabled"), ("is_published", "=", True)]
        )
        for number in range(2, offered + 2):
            provider.copy({"name": f"{provider.name} {number}"}).write(
                {"state": "test", "is_published": True}
            )
        dst.cr.commit()
        print(
            f"bench: {len(templates)} products and {programs} promotions copied into {target_db}",
            flush=True,
        )
    finally:
        src.cr.close()
        dst.cr.close()


def same_named(dst, record, field="name"):
    """The record of ``dst`` named as ``record`` (a category by its full path),
    made when missing (categories with their parents)."""
    if not record:
        return dst[record._name]
    Model = dst[record._name].with_context(active_test=False)
    found = Model.search([(field, "=", record[field])], limit=1)
    if found:
        return found
    values = {"name": record.name}
    if record._name == "product.category" and record.parent_id:
        values["parent_id"] = same_named(dst, record.parent_id, field).id
    return Model.create(values)


def same_product(dst, product, copied):
    """``product`` of the source in ``dst``: the copied template's variant with
    the same attribute values, or a product of that name (made unpublished)."""
    template = copied.get(product.product_tmpl_id)
    if template:
        names = set(product.product_template_attribute_value_ids.mapped("name"))
        for variant in template.product_variant_ids:
            if set(variant.product_template_attribute_value_ids.mapped("name")) == names:
                return variant
    found = dst["product.product"].search([("name", "=", product.name)], limit=1)
    return found or dst["product.product"].create(
        {"name": product.name, "type": "consu", "list_price": product.list_price}
    )


def copy_promotions(src, dst, copied):
    """The source's running automatic promotions and promotion codes (Odoo
    loyalty programs: what the cart evaluates on every change), with their
    rules and rewards on the same products, categories and tags."""
    programs = src["loyalty.program"].search(
        [("program_type", "not in", ("gift_card", "ewallet")), ("ecommerce_ok", "=", True)]
    )
    for program in programs:
        rules = [
            {
                "mode": rule.mode,
                "code": rule.code,
                "minimum_qty": rule.minimum_qty,
                "minimum_amount": rule.minimum_amount,
                "reward_point_amount": rule.reward_point_amount,
                "reward_point_mode": rule.reward_point_mode,
                "product_domain": rule.product_domain,
                "product_ids": [
                    (6, 0, [same_product(dst, p, copied).id for p in rule.product_ids])
                ],
                "product_category_id": same_named(
                    dst, rule.product_category_id, "complete_name"
                ).id,
                "product_tag_id": same_named(dst, rule.product_tag_id).id,
            }
            for rule in program.rule_ids
        ]
        rewards = [
            {
                "reward_type": reward.reward_type,
                "discount": reward.discount,
                "discount_mode": reward.discount_mode,
                "discount_applicability": reward.discount_applicability,
                "discount_max_amount": reward.discount_max_amount,
                "discount_product_domain": reward.discount_product_domain,
                "reward_product_id": reward.reward_product_id
                and same_product(dst, reward.reward_product_id, copied).id,
                "reward_product_qty": reward.reward_product_qty,
                "required_points": reward.required_points,
            }
            for reward in program.reward_ids
        ]
        dst["loyalty.program"].create(
            {
                "name": program.name,
                "program_type": program.program_type,
                "trigger": program.trigger,
                "applies_on": program.applies_on,
                "ecommerce_ok": True,
                "date_from": program.date_from,
                "date_to": program.date_to,
                "sequence": program.sequence,
                "rule_ids": [(5, 0, 0)] + [(0, 0, rule) for rule in rules],
                "reward_ids": [(5, 0, 0)] + [(0, 0, reward) for reward in rewards],
            }
        )
    return len(programs)


def copy_attribute(dst, line):
    """The line's attribute and values in ``dst``, found by name or made."""
    Attribute = dst["product.attribute"]
    attribute = Attribute.search([("name", "=", line.attribute_id.name)], limit=1)
    if not attribute:
        attribute = Attribute.create(
            {"name": line.attribute_id.name, "display_type": line.attribute_id.display_type}
        )
    values = dst["product.attribute.value"]
    for value in line.value_ids:
        found = attribute.value_ids.filtered(lambda v, name=value.name: v.name == name)
        values |= found or values.create(
            {"name": value.name, "attribute_id": attribute.id, "html_color": value.html_color}
        )
    return attribute, values


# ----------------------------------------------------------------------
# A side: a throwaway copy, its shoppers' sessions, its server
# ----------------------------------------------------------------------
class Side:
    """One shop under test: its database copy, data directory and processes."""

    def __init__(self, name, template, workdir, label=None):
        self.name = name
        self.port, self.odoo_port, self.gevent = PORTS[name]
        self.simulator = None
        self.providers = ()
        self.log_offset = 0  # where the timed part of Odoo's log begins
        self.workdir = os.path.join(workdir, label or name)
        self.data_dir = os.path.join(self.workdir, "data")
        self.log = os.path.join(self.workdir, "odoo.log")
        self.db = copy_database(template, f"{template}_load")
        self.processes = []
        config = fenxiao_env.odoo_config()
        shutil.copytree(
            config.filestore(template), os.path.join(self.data_dir, "filestore", self.db)
        )

    def prepare(self, shoppers, flash_sale=False, providers=("demo",)):
        """Shoppers (signed in, with an address) and the plan for Locust;
        ``providers``: how they pay (``demo``: Odoo's demo provider,
        ``wechatpay``: WeChat Pay through its simulator), one each in turn."""
        odoo = fenxiao_env.import_odoo()
        if "demo" in providers and PAYMENT_MODULE not in bench_commission.installed_modules(
            self.db
        ):
            log = os.path.join(self.workdir, "install.log")
            if fenxiao_env.run_odoo(
                self.db, "-i", PAYMENT_MODULE, "--stop-after-init", "--no-http", log=log
            ):
                fenxiao_env.fail(f"installing {PAYMENT_MODULE} into {self.db} failed, see {log}")
        env, company = environment(self.db)
        try:
            base_url = f"http://127.0.0.1:{self.port}"
            env["ir.config_parameter"].set_param("web.base.url", base_url)
            env["ir.config_parameter"].set_param("web.base.url.freeze", "True")
            # wkhtmltopdf (the order confirmation's PDF) fetches its assets from
            # the server it runs in: when every HTTP worker is busy rendering,
            # none is left to answer it and all wait until limit_time_real
            # kills them. The gevent process answers it instead.
            env["ir.config_parameter"].set_param("report.url", f"http://127.0.0.1:{self.gevent}")
            env = env(context=dict(env.context, lang="zh_CN"))
            template = env["product.template"].search(
                [("name", "=", PRODUCT), ("is_published", "=", True)], limit=1
            )
            product = template.product_variant_id
            category = env["product.public.category"].search([("name", "=", CATEGORY)], limit=1)
            users = make_shoppers(env, company, shoppers, self.name == "suite")
            # beside the shoppers, a quarter as many open their account: on
            # the suite the demo's distributors (我的分销 and their team's
            # orders), on vanilla Odoo customers (/my and /my/orders)
            centre_users = env["res.users"]
            if flash_sale:
                centre_pages = []
            elif self.name == "suite":
                centre_users = (
                    env["fenxiao.distributor"]
                    .search([("state", "=", "active")])
                    .mapped("partner_id.user_ids")
                    .filtered("share")
                )
                centre_pages = ["/my/fenxiao", "/my/fenxiao/orders"]
            else:
                centre_users = make_shoppers(
                    env, company, max(shoppers // 4, 1), False, "老顾客", "account"
                )
                centre_pages = ["/my/home", "/my/orders"]
            if flash_sale:
                start_flash_sale(env, product)
            if "demo" in providers:
                demo = env.ref("payment.payment_provider_demo")
                demo.write({"state": "test", "is_published": True})
            # Each provider's payment method line on the bank journal, as the
            # provider's form makes it when a merchant enables it: Odoo makes it
            # when the journal (computed, not stored) is first read; else the
            # run's first payments read it and make two at once, and every
            # later payment fails on "Expected singleton".
            for provider in env["payment.provider"].search([("state", "!=", "disabled")]):
                provider.journal_id.ensure_one()
            os.makedirs(os.path.join(self.data_dir, "sessions"), exist_ok=True)
            store = odoo.http.FilesystemSessionStore(
                os.path.join(self.data_dir, "sessions"),
                session_class=odoo.http.Session,
                renew_missing=True,
            )
            plan = {
                "side": self.name,
                "mode": "peak" if flash_sale else "load",
                "shoppers": [session(odoo, env, store, user) for user in users],
                "distributors": [session(odoo, env, store, user) for user in centre_users],
                "centre_pages": centre_pages,
                "category": f"/shop/category/{env['ir.http']._slug(category)}",
                "product": template.website_url,
                "product_id": product.id,
                "search": SEARCH,
                "providers": list(providers),
                "simulator": f"http://127.0.0.1:{SIMULATOR_PORT}",
                "sold_out": SOLD_OUT,
                "partner_ids": users.partner_id.ids,
                "distributor_users": max(len(users) // 4, 1) if centre_pages else 0,
            }
            env.cr.commit()
        finally:
            env.cr.close()
        odoo.sql_db.close_db(self.db)
        self.plan = os.path.join(self.workdir, "plan.json")
        with open(self.plan, "w", encoding="utf-8") as out:
            json.dump(plan, out, ensure_ascii=False)
        self.providers = plan["providers"]
        return plan

    def start(self):
        if "wechatpay" in self.providers:
            self.simulator = start_simulator(self.db)
        config = os.path.join(self.workdir, "haproxy.cfg")
        with open(config, "w", encoding="utf-8") as out:
            out.write(HAPROXY_CFG.format(front=self.port, port=self.odoo_port, maxconn=2 * WORKERS))
        self.spawn(["haproxy", "-f", config, "-db"], os.path.join(self.workdir, "haproxy.log"))
        command = fenxiao_env.odoo_command(
            self.db,
            "--db-filter",
            f"^{self.db}$",
            "--http-port",
            str(self.odoo_port),
            "--proxy-mode",
            "--gevent-port",
            str(self.gevent),
            "--workers",
            str(WORKERS),
            "--max-cron-threads",
            "1",
            "--data-dir",
            self.data_dir,
            "--logfile",
            self.log,
        )
        self.spawn(command, None)
        wait_for(f"http://127.0.0.1:{self.port}/web/health")
        self.warm_up()
        self.log_offset = os.path.getsize(self.log)

    def warm_up(self):
        """Each worker loads the registry and the assets before anything is timed."""
        with open(self.plan, encoding="utf-8") as plan_file:
            plan = json.load(plan_file)
        pages = ["/", "/shop", plan["category"], plan["product"], "/shop/cart"]
        pages += plan["centre_pages"]
        opener = urllib.request.build_opener()
        opener.addheaders = [("Cookie", f"session_id={plan['shoppers'][0]}")]
        for _round in range(2 * WORKERS):
            for page in pages:
                with opener.open(f"http://127.0.0.1:{self.port}{page}", timeout=120) as answer:
                    answer.read()

    def spawn(self, command, log):
        out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115
        self.processes.append(
            subprocess.Popen(  # noqa: S603
                command,
                cwd=fenxiao_env.ROOT,
                env=dict(os.environ, TZ="UTC", PYTHONUNBUFFERED="1"),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def stop(self):
        if self.simulator:
            self.simulator.stop()
            self.simulator = None
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        self.processes = []

    def drop(self):
        fenxiao_env.import_odoo().sql_db.close_db(self.db)
        fenxiao_env.drop_database(self.db)

    def locust(self, users, rate, seconds, result=None):
        """Run the scenario; {page: stats row} from Locust's CSV."""
        prefix = os.path.join(self.workdir, "locust")
        command = [
            *locust_command(),
            "-f",
            LOCUSTFILE,
            "--headless",
            "--host",
            f"http://127.0.0.1:{self.port}",
            "-u",
            str(users),
            "-r",
            str(rate),
            "-t",
            f"{seconds}s",
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        env = dict(os.environ, FENXIAO_LOAD_PLAN=self.plan, FENXIAO_LOAD_RESULT=result or "")
        with open(os.path.join(self.workdir, "locust.log"), "w") as log:
            subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)  # noqa: S603
        with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
            return {row["Name"]: row for row in csv.DictReader(stats)}


def start_simulator(dbname):
    """WeChat Pay's simulator in this process, the copy's provider pointed at it
    (as scripts/wechatpay_simulator does), so that the peak can read what it
    notified and send again what the shop did not take, as WeChat Pay does."""
    from importlib.machinery import SourceFileLoader  # noqa: PLC0415

    script = os.path.join(fenxiao_env.ROOT, "scripts", "wechatpay_simulator")
    runner = SourceFileLoader("fenxiao_wechatpay_runner", script).load_module()
    module = runner.load_simulator_module()
    private, public = module.new_rsa_key()
    serial, apiv3_key = module.new_merchant_certificate_serial(), module.new_apiv3_key()
    simulator = module.WeChatPaySimulator(runner.MCH_ID, runner.APP_ID, public, serial, apiv3_key)
    simulator.start(port=SIMULATOR_PORT)
    runner.configure(dbname, private, serial, apiv3_key, simulator)
    record_answers(simulator)
    fenxiao_env.import_odoo().sql_db.close_db(dbname)
    return simulator


def record_answers(simulator):
    """Keep the shop's HTTP status for each payment's notification."""
    simulator.answers = {}
    pay = simulator.pay

    def pay_and_record(out_trade_no, *args, **kwargs):
        simulator.answers[out_trade_no] = pay(out_trade_no, *args, **kwargs)
        return simulator.answers[out_trade_no]

    simulator.pay = pay_and_record


def renotify(simulator):
    """Send again each payment whose notification the shop did not answer with
    a 2xx, as WeChat Pay retries; how many were sent again and still refused."""
    missed = [no for no, status in simulator.answers.items() if not status or status >= 300]
    refused = sum(not 200 <= (simulator.notify_transaction(no) or 0) < 300 for no in missed)
    return len(missed), refused


def make_shoppers(env, company, count, bind, name="压测顾客", login="load"):
    """``count`` portal users with a Beijing address (checkout goes straight to
    paying), bound on the suite to the demo distributor (commission is earned)
    when ``bind``."""
    address = {
        "street": "朝阳区建国路 88 号",
        "city": "北京市",
        "zip": "100022",
        "state_id": env.ref("base.state_cn_BJ").id,
        "country_id": env.ref("base.cn").id,
        "lang": "zh_CN",
    }
    if bind:
        # one with an upline: commission is earned on two levels
        distributor = env["fenxiao.distributor"].search(
            [("state", "=", "active"), ("parent_id", "!=", False)], limit=1, order="id"
        )
        address["fenxiao_distributor_id"] = distributor.id
    partners = env["res.partner"].create(
        [
            dict(
                address,
                name=f"{name} {n}",
                email=f"{login}{n}@example.cn",
                phone=f"+86 139 0000 {n:04d}",
            )
            for n in range(count)
        ]
    )
    return (
        env["res.users"]
        .with_context(no_reset_password=True, tracking_disable=True)
        .create(
            [
                {
                    "login": partner.email,
                    "partner_id": partner.id,
                    "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                }
                for partner in partners
            ]
        )
    )


def session(odoo, env, store, user):
    """A signed-in session in the server's store, as HttpCase.authenticate makes one."""
    session = store.new()
    session.update(odoo.http.get_default_session(), db=env.cr.dbname)
    user_env = env(user=user.id)
    session.uid = user.id
    session.login = user.login
    session.session_token = odoo.service.security.compute_session_token(session, user_env)
    session.context = dict(user_env["res.users"].context_get())
    store.save(session)
    return session.sid


def start_flash_sale(env, product):
    """The peak's flash sale: 100 units, one per shopper, and 100 in stock."""
    from datetime import timedelta  # noqa: PLC0415

    from odoo import fields  # noqa: PLC0415

    env["fenxiao.flash.sale"].search([]).write({"active": False})
    now = fields.Datetime.now()
    env["fenxiao.flash.sale"].create(
        {
            "name": "压测秒杀",
            "product_id": product.id,
            "price": round(product.lst_price / 2, 2),
            "date_start": now - timedelta(minutes=1),
            "date_end": now + timedelta(hours=2),
            "quantity_cap": 100,
            "limit_per_shopper": 1,
        }
    )
    # units already promised to the demo's deliveries go back to the shelf
    env["stock.picking"].search(
        [("state", "=", "assigned"), ("move_ids.product_id", "=", product.id)]
    ).do_unreserve()
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    Quant = env["stock.quant"].with_context(inventory_mode=True)
    for quant in Quant.search(
        [("product_id", "=", product.id), ("location_id.usage", "=", "internal")]
    ):
        quant.inventory_quantity = 0
        quant.action_apply_inventory()
    Quant._update_available_quantity(product, warehouse.lot_stock_id, 100)


# ----------------------------------------------------------------------
# Reports
# ----------------------------------------------------------------------
def figures(row):
    def number(key):
        try:
            return float(row[key])
        except (KeyError, ValueError, TypeError):
            return 0.0

    return {
        "rps": number("Requests/s"),
        "p50": number("50%"),
        "p95": number("95%"),
        "p99": number("99%"),
        "count": int(number("Request Count")),
        "failures": int(number("Failure Count")),
    }


def print_load(results, figures_, users, seconds):
    """The two sides page by page; the pages that cost the suite's server more
    than 10% over vanilla's (median server time)."""
    print(
        f"\nbench: load, {users} shoppers for {seconds} s a run (and {max(users // 4, 1)} "
        f"opening their account: distributors on the suite, customers on vanilla); "
        f"Odoo with {WORKERS} workers behind HAProxy; Locust on the same {os.cpu_count()} "
        f"cores (it takes part of them)"
    )
    side_head = f"{'r/s':>5} {'p50':>5} {'p95':>5} {'p99':>5} {'q':>4} {'srv':>5}"
    print(f"{'':24} {'suite':^34} | {'vanilla Odoo':^34} | {'suite / vanilla':^15}")
    print(f"{'page':24} {side_head} | {side_head} | {'p50':>6} {'srv':>8}")
    worst = []
    for page in (*PAGES, "Aggregated"):
        cells, medians, costs = [], [], []
        for name in ("suite", "vanilla"):
            row = results[name].get(page)
            if not row:
                cells.append(" " * 34)
                continue
            f = figures(row)
            q, srv = figures_[name].get(page, (None, None))
            medians.append(f["p50"])
            costs.append(srv)
            q = f"{q:4.0f}" if q is not None else " " * 4
            srv = f"{srv:5.0f}" if srv is not None else " " * 5
            cells.append(
                f"{f['rps']:5.2f} {f['p50']:5.0f} {f['p95']:5.0f} {f['p99']:5.0f} {q} {srv}"
            )
        ratio = medians[0] / medians[1] if len(medians) == 2 and medians[1] else None
        cost = costs[0] / costs[1] if len(costs) == 2 and all(costs) else None
        label = "all requests" if page == "Aggregated" else page
        print(
            f"{label:24} {cells[0]} | {cells[1]} | {f'{ratio:6.2f}' if ratio else ' ' * 6} "
            f"{f'{cost:8.2f}' if cost else ''}"
        )
        if cost and cost > 1.1 and page not in ACCOUNT_PAGES:
            worst.append(label)
    for name, label in (
        ("suite", "suite"),
        ("vanilla", "vanilla"),
        ("wechatpay", "suite, WeChat Pay"),
    ):
        total = figures(results[name].get("Aggregated", {}))
        print(
            f"bench: {label}: {total['count']} requests, {total['rps']:.2f}/s, "
            f"{total['failures']} failed"
        )
    print(
        "(ms. q: median SQL queries a request and srv: median time the server spent on it "
        "(queries and Python, without queueing), from Odoo's log. Both sides pay with Odoo's "
        "payment_demo; the WeChat Pay rows are a third run of the suite, its shoppers paying "
        "through WeChat Pay's simulator (a signed order call, a signed and encrypted "
        "notification). my centre / my orders: 我的分销 and the team's orders on the suite, "
        "/my and /my/orders on vanilla.)"
    )
    if worst:
        print(
            "bench: under load, pages whose server time was more than 10% over vanilla's "
            "(the machine's cores shared with Locust and the other requests): " + ", ".join(worst)
        )


def check_peak(side, plan, outcomes, stats):
    """What the database says after the peak; True when every check holds."""
    env, _company = environment(side.db)
    cr = env.cr
    try:
        product, partners = plan["product_id"], plan["partner_ids"]
        # a paid order whose shopper's page did not poll is confirmed by
        # Odoo's post-processing cron (every 10 minutes): run it once now
        Transaction = env["payment.transaction"]
        late = Transaction.search_count(
            [
                ("state", "=", "done"),
                ("is_post_processed", "=", False),
                ("partner_id", "in", partners),
            ]
        )
        Transaction._cron_post_process()
        cr.commit()
        # the units taken are the sum of the sale's stock slots
        cr.execute(
            """SELECT s.quantity_cap, COALESCE(sum(slot.quantity_reserved), 0),
                      count(*) FILTER (WHERE slot.quantity_reserved > slot.quantity_cap),
                      COALESCE(sum(slot.quantity_cap), 0)
                 FROM fenxiao_flash_sale s
            LEFT JOIN fenxiao_flash_sale_slot slot ON slot.flash_sale_id = s.id
                WHERE s.active AND s.product_id = %s
             GROUP BY s.id""",
            [product],
        )
        cap, taken, slots_over, slots_cap = cr.fetchone()
        cr.execute(
            """SELECT count(DISTINCT o.id), COALESCE(sum(l.product_uom_qty), 0)
                 FROM sale_order o JOIN sale_order_line l ON l.order_id = o.id
                WHERE o.state = 'sale' AND l.product_id = %s AND o.partner_id = ANY(%s)""",
            [product, partners],
        )
        orders, units = cr.fetchone()
        cr.execute(
            """SELECT count(*) FROM stock_quant q JOIN stock_location loc ON loc.id = q.location_id
                WHERE loc.usage = 'internal' AND q.product_id = %s AND q.quantity < 0""",
            [product],
        )
        negative = cr.fetchone()[0]
        cr.execute(
            """SELECT count(*) FROM stock_picking p JOIN sale_order o ON o.id = p.sale_id
                WHERE o.partner_id = ANY(%s) AND p.state NOT IN ('assigned', 'done')""",
            [partners],
        )
        unreserved = cr.fetchone()[0]
        cr.execute(
            """SELECT count(*),
                      count(*) FILTER (WHERE NOT EXISTS (
                          SELECT 1 FROM sale_order_transaction_rel r
                            JOIN sale_order o ON o.id = r.sale_order_id
                           WHERE r.transaction_id = t.id AND o.state = 'sale'))
                 FROM payment_transaction t
                WHERE t.state = 'done' AND t.partner_id = ANY(%s)""",
            [partners],
        )
        paid, paid_without_order = cr.fetchone()
        cr.execute(
            """SELECT count(*), count(DISTINCT (c.order_line_id, c.level)),
                      count(DISTINCT c.order_line_id)
                 FROM fenxiao_commission_line c JOIN sale_order o ON o.id = c.order_id
                WHERE c.kind = 'commission' AND o.partner_id = ANY(%s)""",
            [partners],
        )
        commission, distinct, lines_paid = cr.fetchone()
    finally:
        cr.close()
    http_errors = sum(
        int(row["Failure Count"] or 0) for name, row in stats.items() if name != "Aggregated"
    )
    rows = [
        ("units on sale", cap, True),
        ("units taken (reserved or sold)", taken, taken <= cap),
        (
            "stock slots over their cap / their caps' sum",
            f"{slots_over} / {slots_cap}",
            not slots_over and slots_cap == cap,
        ),
        (
            "confirmed orders with the product / units in them",
            f"{orders} / {units:g}",
            units <= cap,
        ),
        ("negative stock quants of the product", negative, negative == 0),
        ("deliveries of these orders not reserved", unreserved, unreserved == 0),
        ("paid, left to Odoo's post-processing cron (not polled)", late, True),
        (
            "paid transactions / without a confirmed order",
            f"{paid} / {paid_without_order}",
            not paid_without_order,
        ),
        (
            "commission lines / distinct (line, level) / order lines paid on",
            f"{commission} / {distinct} / {lines_paid}",
            commission == distinct and lines_paid == orders,
        ),
        ("failed requests (HTTP errors and RPC errors)", http_errors, http_errors == 0),
    ]
    rows += [(f"shoppers: {name}", number, True) for name, number in sorted(outcomes.items())]
    ok = True
    for label, value, good in rows:
        ok &= bool(good)
        print(f"  {label:62} {value!s:>14} {'ok' if good else 'WRONG'}")
    return ok


# ----------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------
def run_side(
    name, template, workdir, users, rate, seconds, flash_sale=False, providers=("demo",), label=None
):
    """One Locust run on a fresh copy of ``template``; the copy is left for the checks."""
    for port in (*PORTS[name], SIMULATOR_PORT):
        fenxiao_env.check_port(port)
    side = Side(name, template, workdir, label)
    try:
        plan = side.prepare(users, flash_sale, providers)
        side.start()
        result = os.path.join(side.workdir, "outcomes.json")
        started = time.perf_counter()
        stats = side.locust(users + plan["distributor_users"], rate, seconds, result)
        elapsed = time.perf_counter() - started
        resent = renotify(side.simulator) if flash_sale else None
        outcomes = {}
        if os.path.exists(result):
            with open(result, encoding="utf-8") as outcome_file:
                outcomes = json.load(outcome_file)
        return side, plan, stats, outcomes, elapsed, resent
    finally:
        side.stop()


def page_of(path, plan):
    """The Locust name of a request in Odoo's log (None: not one of the scenario's)."""
    path, _sep, query = path.partition("?")
    path = re.sub(r"^/zh_CN(?=/|$)", "", path) or "/"
    names = {
        "/": "home",
        plan["category"]: "category",
        plan["product"]: "product page",
        "/shop/cart/update_json": "add to cart",
        "/shop/cart": "cart",
        "/shop/checkout": "checkout",
        "/shop/payment": "confirm → payment page",
        "/payment/demo/simulate_payment": "pay",
        "/payment/wechatpay/notify": "WeChat Pay: pay",
        "/payment/status": "payment status page",
        "/payment/wechatpay/return": "WeChat Pay: status page",
        "/payment/status/poll": "payment status poll",
    }
    if plan["providers"] == ["wechatpay"]:
        names["/payment/status"] = "WeChat Pay: status page"
        names["/payment/status/poll"] = "WeChat Pay: status poll"
    names.update(zip(plan["centre_pages"], ("my centre", "my orders"), strict=False))
    if path == "/shop":
        return "search" if "search=" in query else "/shop"
    if path.startswith("/shop/payment/transaction/"):
        return (
            "WeChat Pay: transaction"
            if plan["providers"] == ["wechatpay"]
            else "payment transaction"
        )
    return names.get(path)


def server_figures(side, plan):
    """{page: (median SQL queries, median server time in ms)} of each page,
    from Odoo's werkzeug log lines (queries, their time, the rest's time):
    what a request costs the server, without the time it queued."""
    line = re.compile(r'"(?:GET|POST) (\S+) HTTP/[\d.]+" \d+ - (\d+) ([\d.]+) ([\d.]+)')
    counts = {}
    with open(side.log, encoding="utf-8", errors="replace") as log:
        log.seek(side.log_offset)
        for found in line.finditer(log.read()):
            page = page_of(found.group(1), plan)
            if page:
                seconds = float(found.group(3)) + float(found.group(4))
                counts.setdefault(page, []).append((int(found.group(2)), seconds * 1000))
    return {
        page: (statistics.median(q for q, _ms in rows), statistics.median(ms for _q, ms in rows))
        for page, rows in counts.items()
    }


# ----------------------------------------------------------------------
# What a page costs: one request at a time, the two shops in turn
# ----------------------------------------------------------------------
COST_PAGES = PAGES[:13]  # the shopper's visit, paying with Odoo's demo provider


class CostShopper:
    """One signed-in shopper going through the scenario's pages with urllib,
    as locustfile.py's shoppers do (same requests, same payment calls)."""

    def __init__(self, side, plan):
        self.base = f"http://127.0.0.1:{side.port}"
        self.plan = plan
        self.opener = urllib.request.build_opener()
        self.opener.addheaders = [
            ("Cookie", f"session_id={plan['shoppers'][0]}"),
            ("User-Agent", PHONE),
        ]
        self.page = ""
        self.reference = None

    def call(self, path, params=None):
        data, headers = None, {}
        if params is not None:
            data = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
            headers = {"Content-Type": "application/json"}
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310
        with self.opener.open(request, timeout=300) as answer:
            body = answer.read().decode("utf-8", "replace")
        return json.loads(body).get("result") if params is not None else body

    def step(self, number):
        """Request ``number`` of the visit (COST_PAGES' order)."""
        plan = self.plan
        steps = (
            lambda: self.call("/"),
            lambda: self.call("/shop"),
            lambda: self.call(plan["category"]),
            lambda: self.call(f"/shop?search={urllib.parse.quote(plan['search'])}"),
            lambda: self.call(plan["product"]),
            lambda: self.call(
                "/shop/cart/update_json", {"product_id": plan["product_id"], "add_qty": 1}
            ),
            lambda: self.call("/shop/cart"),
            lambda: self.call("/shop/checkout?try_skip_step=true"),
            self.confirm,
            self.transaction,
            lambda: self.call(
                "/payment/demo/simulate_payment",
                {"reference": self.reference, "payment_details": "4242", "simulated_state": "done"},
            ),
            lambda: self.call("/payment/status"),
            lambda: self.call("/payment/status/poll", {"csrf_token": ""}),
        )
        steps[number]()

    def confirm(self):
        self.page = self.call("/shop/confirm_order")

    def transaction(self):
        def attribute(text, name):
            found = re.search(rf'{name}="([^"]*)"', text)
            return html.unescape(found.group(1)) if found else None

        page = self.page
        radio = re.search(r'<input[^>]*data-provider-code="demo"[^>]*>', page).group(0)
        result = self.call(
            attribute(page, "data-transaction-route"),
            {
                "provider_id": int(attribute(radio, "data-provider-id")),
                "payment_method_id": int(attribute(radio, "data-payment-option-id")),
                "token_id": None,
                "amount": float(attribute(page, "data-amount")),
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": attribute(page, "data-landing-route"),
                "is_validation": False,
                "access_token": attribute(page, "data-access-token"),
                "csrf_token": attribute(page, "data-csrf-token") or "",
            },
        )
        self.reference = result["reference"]


def run_cost(dbname, vanilla_db, workdir, rounds=20):
    """Both shops up at once, one shopper each, every request alone on the
    machine, the two shops in turn (which goes first alternates): what each
    page costs each server, from Odoo's log, without load or queueing.
    Returns {side: {page: (queries, server ms)}}."""
    sides = []
    try:
        for name, template in (("suite", dbname), ("vanilla", vanilla_db)):
            for port in PORTS[name]:
                fenxiao_env.check_port(port)
            side = Side(name, template, workdir, f"cost-{name}")
            sides.append(side)
            plan = side.prepare(1)
            side.start()
            side.shopper = CostShopper(side, plan)
        for number in range(COST_WARM_UP + rounds):
            if number == COST_WARM_UP:
                # what each worker loads once (templates, caches) is not counted
                for side in sides:
                    side.log_offset = os.path.getsize(side.log)
            for step in range(len(COST_PAGES)):
                for side in sides if number % 2 else sides[::-1]:
                    side.shopper.step(step)
    finally:
        for side in sides:
            side.stop()
    result = {}
    for side in sides:
        result[side.name] = server_figures(side, side.shopper.plan)
        side.drop()
    return result


def print_cost(cost, rounds):
    print(
        f"\nbench: what a page costs the server, {rounds} visits of one shopper on each shop, "
        f"one request at a time, the two shops in turn (median of Odoo's log, ms)"
    )
    print(f"{'page':24} {'suite q':>8} {'srv':>6} | {'vanilla q':>9} {'srv':>6} | {'ratio':>6}")
    worst, totals = [], [0.0, 0.0]
    for page in COST_PAGES:
        (sq, sms), (vq, vms) = cost["suite"][page], cost["vanilla"][page]
        totals[0] += sms
        totals[1] += vms
        ratio = sms / vms
        print(f"{page:24} {sq:8.0f} {sms:6.0f} | {vq:9.0f} {vms:6.0f} | {ratio:6.2f}")
        if ratio > 1.1:
            worst.append(page)
    print(
        f"{'the whole visit':24} {'':8} {totals[0]:6.0f} | {'':9} {totals[1]:6.0f} | "
        f"{totals[0] / totals[1]:6.2f}"
    )
    if worst:
        print("bench: pages costing the suite more than 10% over vanilla Odoo: " + ", ".join(worst))
    return worst


def run_load(dbname, users=20, seconds=60, rebuild=False):
    """The suite and vanilla Odoo on the same scenario, paying with Odoo's demo
    provider both; then the suite again, paying with WeChat Pay (its rows)."""
    vanilla_db, modules = ensure_vanilla_shop(dbname, rebuild)
    workdir = tempfile.mkdtemp(prefix="fenxiao-load-")
    print("bench: what each page costs, one request at a time", flush=True)
    cost = run_cost(dbname, vanilla_db, workdir, COST_ROUNDS)
    results, figures_ = {}, {}
    runs = (
        ("suite", dbname, ("demo",), "suite"),
        ("vanilla", vanilla_db, ("demo",), "vanilla"),
        ("suite", dbname, ("wechatpay",), "wechatpay"),
    )
    for name, template, providers, label in runs:
        print(
            f"bench: load on the {label} side ({users} users, {seconds} s, paying with "
            f"{'/'.join(providers)})",
            flush=True,
        )
        side, plan, stats, _outcomes, _elapsed, _resent = run_side(
            name,
            template,
            workdir,
            users,
            max(users // 10, 1),
            seconds,
            providers=providers,
            label=label,
        )
        results[label], figures_[label] = stats, server_figures(side, plan)
        side.drop()
    # the WeChat Pay run's own pages in the suite's column
    for page in WECHATPAY_PAGES:
        for store in (results, figures_):
            if page in store["wechatpay"]:
                store["suite"][page] = store["wechatpay"][page]
    print_load(results, figures_, users, seconds)
    worst = print_cost(cost, COST_ROUNDS)
    print(
        f"bench: vanilla Odoo = the suite bench's {len(modules)} Odoo and OCA modules "
        f"and {PAYMENT_MODULE}"
    )
    print(f"bench: logs in {workdir}")
    return not worst


def run_peak(dbname, shoppers=500, seconds=900):
    workdir = tempfile.mkdtemp(prefix="fenxiao-peak-")
    print(f"bench: sale peak, {shoppers} shoppers for 100 units", flush=True)
    side, plan, stats, outcomes, elapsed, resent = run_side(
        "suite", dbname, workdir, shoppers, shoppers, seconds, True, ("wechatpay",)
    )
    print(
        f"bench: peak over in {elapsed:.0f} s ({WORKERS} workers behind HAProxy, Locust on "
        f"the same {os.cpu_count()} cores); notifications sent again after it: {resent[0]} "
        f"({resent[1]} still refused); the database afterwards:"
    )
    ok = check_peak(side, plan, outcomes, stats)
    side.drop()
    print(f"bench: logs in {workdir}")
    return ok
