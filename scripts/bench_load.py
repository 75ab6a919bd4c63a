"""The shop under load, run by scripts/bench (``--load``, ``--peak``).

``--load``: the same Locust scenario (scripts/locustfile.py) against the
suite's shop and against vanilla Odoo's shop with the same catalog, one after
the other, each an Odoo server with workers on a throwaway copy of its
database: signed-in shoppers browse, search, add to the cart, check out and
pay (the suite: WeChat Pay through its simulator; vanilla: payment_demo),
distributors (suite only) open their centre. Printed: per page, requests/s
and p50 / p95 / p99 on both sides and the ratio of the medians.

``--peak``: a flash sale of 100 units (limit 1 per shopper, stock 100) and
500 signed-in shoppers started at once, each trying once to buy one. Printed:
what the database holds afterwards (units taken, orders, stock, payments,
commission lines) and what the shoppers were answered.

Vanilla Odoo's shop, ``<bench>_shop_vanilla``, is the commission bench's
vanilla database (every Odoo and OCA module the suite's bench database has:
website_sale, its loyalty, live chat, the Chinese address form...; demo
data; Chinese company, CNY, zh_CN) with payment_demo, built once, with the
suite demo's published products, variants and categories copied into it: a
difference between the sides is what the suite adds, not what the Odoo
modules it relies on cost.

Locust lives in an environment of its own (``$FENXIAO_CACHE/load-venv``,
requirements-load.txt), made at the first run: it pins versions of
Werkzeug, gevent and requests other than Odoo's. Traffic goes only to
127.0.0.1, for a bounded time.
"""

import csv
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
SOLD_OUT = "已抢光"  # "Sold out: ..." of fenxiao_flash_sale, in zh_CN
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
    "pay (demo / simulator)",
    "payment status page",
    "payment status poll",
    "distributor centre",
    "distributor orders",
)


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
    if not rebuilt and fenxiao_env.database_exists(name):
        missing = set(modules) - bench_commission.installed_modules(name)
        if not missing:
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
    copy_catalog(dbname, work)
    odoo.sql_db.close_db(work)
    fenxiao_env.drop_database(name)
    fenxiao_env.rename_database(work, name)
    return name, modules


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
        chat = src["website"].search([], limit=1).channel_id
        if chat:
            # the same live chat button (its operator's presence is a query a page)
            website.channel_id = dst["im_livechat.channel"].create(
                {"name": chat.name, "user_ids": [(6, 0, dst.ref("base.user_admin").ids)]}
            )
        provider = dst.ref("payment.payment_provider_demo")
        provider.write({"state": "test", "is_published": True})
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

    def __init__(self, name, template, workdir):
        self.name = name
        self.port, self.odoo_port, self.gevent = PORTS[name]
        self.simulator = None
        self.workdir = os.path.join(workdir, name)
        self.data_dir = os.path.join(self.workdir, "data")
        self.log = os.path.join(self.workdir, "odoo.log")
        self.db = copy_database(template, f"{template}_load")
        self.processes = []
        config = fenxiao_env.odoo_config()
        shutil.copytree(
            config.filestore(template), os.path.join(self.data_dir, "filestore", self.db)
        )

    def prepare(self, shoppers, flash_sale=False):
        """Shoppers (signed in, with an address) and the plan for Locust."""
        odoo = fenxiao_env.import_odoo()
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
            distributors = env["res.users"]
            if self.name == "suite":
                distributors = (
                    env["fenxiao.distributor"]
                    .search([("state", "=", "active")])
                    .mapped("partner_id.user_ids")
                    .filtered("share")
                )
            if flash_sale:
                start_flash_sale(env, product)
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
                "distributors": [session(odoo, env, store, user) for user in distributors],
                "category": f"/shop/category/{env['ir.http']._slug(category)}",
                "product": template.website_url,
                "product_id": product.id,
                "search": SEARCH,
                "provider_code": "wechatpay" if self.name == "suite" else "demo",
                "simulator": f"http://127.0.0.1:{SIMULATOR_PORT}",
                "sold_out": SOLD_OUT,
                "partner_ids": users.partner_id.ids,
                # distributors open their centre beside the shoppers (suite only)
                "distributor_users": len(users) // 4 if distributors and not flash_sale else 0,
            }
            env.cr.commit()
        finally:
            env.cr.close()
        odoo.sql_db.close_db(self.db)
        self.plan = os.path.join(self.workdir, "plan.json")
        with open(self.plan, "w", encoding="utf-8") as out:
            json.dump(plan, out, ensure_ascii=False)
        return plan

    def start(self):
        if self.name == "suite":
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

    def warm_up(self):
        """Each worker loads the registry and the assets before anything is timed."""
        with open(self.plan, encoding="utf-8") as plan_file:
            plan = json.load(plan_file)
        pages = ["/", "/shop", plan["category"], plan["product"], "/shop/cart"]
        if plan["distributors"]:
            pages += ["/my/fenxiao", "/my/fenxiao/orders"]
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


def make_shoppers(env, company, count, bind):
    """``count`` portal users with a Beijing address (checkout goes straight to
    paying), bound on the suite to the demo distributor (commission is earned)."""
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
                name=f"压测顾客 {n}",
                email=f"load{n}@example.cn",
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


def print_load(results, queries, users, seconds):
    """The two sides page by page; the pages whose median is >10% above vanilla's."""
    print(
        f"\nbench: load, {users} shoppers for {seconds} s a side (and {users // 4} distributors "
        f"on the suite); Odoo with {WORKERS} workers "
        f"behind HAProxy; Locust on the same {os.cpu_count()} cores (it takes part of them)"
    )
    side_head = f"{'r/s':>6} {'p50':>5} {'p95':>5} {'p99':>5} {'q':>4}"
    print(f"{'':24} {'suite':^28} | {'vanilla Odoo':^28} |")
    print(f"{'page':24} {side_head} | {side_head} | {'p50 ratio':>9}")
    worst = []
    for page in (*PAGES, "Aggregated"):
        cells, medians = [], []
        for name in ("suite", "vanilla"):
            row = results[name].get(page)
            if not row:
                cells.append(" " * 28)
                continue
            f = figures(row)
            q = queries[name].get(page)
            medians.append(f["p50"])
            q = f"{q:4.0f}" if q is not None else "    "
            cells.append(f"{f['rps']:6.2f} {f['p50']:5.0f} {f['p95']:5.0f} {f['p99']:5.0f} {q}")
        ratio = medians[0] / medians[1] if len(medians) == 2 and medians[1] else None
        label = "all requests" if page == "Aggregated" else page
        print(f"{label:24} {cells[0]} | {cells[1]} | {f'{ratio:9.2f}' if ratio else ''}")
        if ratio and ratio > 1.1 and page != "Aggregated":
            worst.append(label)
    for name in ("suite", "vanilla"):
        total = figures(results[name].get("Aggregated", {}))
        print(
            f"bench: {name}: {total['count']} requests, {total['rps']:.2f}/s, "
            f"{total['failures']} failed"
        )
    print(
        "(ms; q: median SQL queries per request from Odoo's log; paying is each side's own "
        "provider, WeChat Pay's notification against payment_demo's call: not the same work)"
    )
    if worst:
        print(f"bench: pages more than 10% slower (median) on the suite: {', '.join(worst)}")
    return worst


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
def run_side(name, template, workdir, users, rate, seconds, flash_sale=False):
    """One Locust run on a fresh copy of ``template``; the copy is left for the checks."""
    for port in (*PORTS[name], SIMULATOR_PORT):
        fenxiao_env.check_port(port)
    side = Side(name, template, workdir)
    try:
        plan = side.prepare(users, flash_sale)
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
        "/payment/demo/simulate_payment": "pay (demo / simulator)",
        "/payment/wechatpay/notify": "pay (demo / simulator)",
        "/payment/status": "payment status page",
        "/payment/wechatpay/return": "payment status page",
        "/payment/status/poll": "payment status poll",
        "/my/fenxiao": "distributor centre",
        "/my/fenxiao/orders": "distributor orders",
    }
    if path == "/shop":
        return "search" if "search=" in query else "/shop"
    if path.startswith("/shop/payment/transaction/"):
        return "payment transaction"
    return names.get(path)


def queries_by_page(side, plan):
    """Median SQL queries per request of each page, from Odoo's werkzeug log lines."""
    line = re.compile(r'"(?:GET|POST) (\S+) HTTP/[\d.]+" \d+ - (\d+) ')
    counts = {}
    with open(side.log, encoding="utf-8", errors="replace") as log:
        for found in line.finditer(log.read()):
            page = page_of(found.group(1), plan)
            if page:
                counts.setdefault(page, []).append(int(found.group(2)))
    return {page: statistics.median(numbers) for page, numbers in counts.items()}


def run_load(dbname, users=20, seconds=60, rebuild=False):
    vanilla_db, modules = ensure_vanilla_shop(dbname, rebuild)
    workdir = tempfile.mkdtemp(prefix="fenxiao-load-")
    results, queries = {}, {}
    for name, template in (("suite", dbname), ("vanilla", vanilla_db)):
        print(f"bench: load on the {name} side ({users} users, {seconds} s)", flush=True)
        side, plan, stats, _outcomes, _elapsed, _resent = run_side(
            name, template, workdir, users, max(users // 10, 1), seconds
        )
        results[name], queries[name] = stats, queries_by_page(side, plan)
        side.drop()
    worst = print_load(results, queries, users, seconds)
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
        "suite", dbname, workdir, shoppers, shoppers, seconds, flash_sale=True
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
