"""Commission benchmarks, run by scripts/bench (``--commission``).

A. 1,000 orders created, confirmed, invoiced, posted and paid, one request
   (transaction) each: in the suite's bench database, every order earning
   2 lines x 3 levels of commission up a 3-level chain, and in vanilla Odoo
   (``<bench>_vanilla``: every Odoo and OCA module installed in the suite's
   bench database, none of the suite's own, Chinese chart and CNY as well:
   "suite − vanilla" is what the suite adds, not what the shop's Odoo
   modules cost); then 50 more with a team of 10 and of 10,000 under the
   chain's top, and 50 for customers bound to nobody.
B. Settlement: OCA's ``commission.make.settle`` on 10,000 agent lines of 1,000
   agents (``<bench>_oca``: the vanilla database + sale_commission_oca, from
   requirements-bench.txt), against ``fenxiao.commission.settlement._settle``
   on 10,000 lines of 1,000 distributors and 100,000 lines of 10,000.

Each measure works in a throwaway copy of its database (``<db>_throwaway``,
dropped at the end), so that orders and settlements commit as they do in
production and the bench databases stay as built. Mail tracking is off the
same way on every side (tracking_disable, mail_notrack).
"""

import datetime
import functools
import os
import statistics
import time

import fenxiao_env

LOG_DIR = os.path.join(fenxiao_env.ROOT, ".test-logs")
BUILD_LOG = os.path.join(LOG_DIR, "bench-build.log")
OCA_MODULES = ("commission_oca", "account_commission_oca", "sale_commission_oca")
NO_TRACKING = {"tracking_disable": True, "mail_notrack": True}
CUSTOMERS = 100
TEAM_BATCH = 50
TEAM_SIZES = (10, 10_000)
LEVEL_RATES = {1: 10.0, 2: 5.0, 3: 2.0}
SETTLE_SIZES = ((10_000, 1_000), (100_000, 10_000))
OCA_AGENTS = 1_000
OCA_LINES = 10_000


def odoo():
    return fenxiao_env.import_odoo()


def check_oca():
    """Stop with one line when OCA's commission addons are not importable."""
    odoo()
    fenxiao_env.odoo_config()
    from odoo.modules.module import get_module_path  # noqa: PLC0415

    missing = [name for name in OCA_MODULES if not get_module_path(name, display_warning=False)]
    if missing:
        fenxiao_env.fail(
            f"OCA's {', '.join(missing)} not found, which the commission bench compares "
            "against: scripts/setup --bench"
        )


# ----------------------------------------------------------------------
# Databases
# ----------------------------------------------------------------------
def _replace(work, name):
    fenxiao_env.drop_database(name)
    fenxiao_env.rename_database(work, name)


def installed_modules(dbname):
    """The names of the modules installed in ``dbname``."""
    conn = fenxiao_env.connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
            return {row[0] for row in cr.fetchall()}
    finally:
        conn.close()


def vanilla_modules(dbname):
    """The Odoo (and OCA) modules installed in the suite's bench database
    ``dbname``, without the suite's own (addons/*), sorted.

    What vanilla Odoo installs, so that the comparison counts what the suite
    adds: the shop installs website_sale, website_sale_loyalty,
    stock_delivery... for the suite, and each costs queries on an order that
    are Odoo's, not ours.
    """
    return sorted(installed_modules(dbname) - set(fenxiao_env.suite_modules()))


def build_vanilla(name, modules):
    """Odoo with ``modules`` and without the suite, built the way fenxiao_env.build
    builds ours (demo data, the company Chinese before accounting installs)."""
    work = name + fenxiao_env.BUILDING_SUFFIX
    fenxiao_env.drop_database(work)
    steps = [
        ("-i", "base", f"--load-language={fenxiao_env.LANGUAGE}"),
        ("-i", "account"),
        ("-i", ",".join(modules)),
    ]
    for number, step in enumerate(steps):
        if number == 1:
            fenxiao_env.make_company_chinese(work)
        rc = fenxiao_env.run_odoo(work, *step, "--stop-after-init", "--no-http", log=BUILD_LOG)
        if rc:
            fenxiao_env.fail(f"building {work} failed at {' '.join(step)[:80]}, see {BUILD_LOG}")
    _replace(work, name)


def build_oca(vanilla, name):
    """A copy of the vanilla database with OCA's sale commissions."""
    config = fenxiao_env.odoo_config()
    config["list_db"] = True
    work = name + fenxiao_env.BUILDING_SUFFIX
    fenxiao_env.drop_database(work)
    odoo().service.db.exp_duplicate_database(vanilla, work)
    rc = fenxiao_env.run_odoo(
        work, "-i", "sale_commission_oca", "--stop-after-init", "--no-http", log=BUILD_LOG
    )
    if rc:
        fenxiao_env.fail(f"installing sale_commission_oca into {work} failed, see {BUILD_LOG}")
    _replace(work, name)


def ensure_vanilla(dbname, rebuild=False):
    """The vanilla database next to ``dbname`` (its Odoo and OCA modules, no
    suite), built once, and again when it lacks a module the suite's bench
    database has. Returns its name, the modules it was given and whether it
    was (re)built now."""
    vanilla = f"{dbname}_vanilla"
    modules = vanilla_modules(dbname)
    if not rebuild and fenxiao_env.database_exists(vanilla):
        missing = set(modules) - installed_modules(vanilla)
        if missing:
            print(f"bench: {vanilla} lacks {', '.join(sorted(missing))}: rebuilding", flush=True)
            rebuild = True
    if rebuild or not fenxiao_env.database_exists(vanilla):
        print(f"bench: building {vanilla} (a few minutes)", flush=True)
        build_vanilla(vanilla, modules)
        return vanilla, modules, True
    return vanilla, modules, False


def ensure_databases(dbname, rebuild):
    """The vanilla and OCA databases next to ``dbname`` (see ensure_vanilla).

    Returns their names and the modules vanilla Odoo was given.
    """
    vanilla, modules, rebuilt = ensure_vanilla(dbname, rebuild)
    oca = f"{dbname}_oca"
    if rebuilt or rebuild or not fenxiao_env.database_exists(oca):
        print(f"bench: building {oca}", flush=True)
        build_oca(vanilla, oca)
    return vanilla, oca, modules


def environment(dbname):
    """A cursor on ``dbname`` and a superuser environment without mail tracking."""
    registry = odoo().modules.registry.Registry(dbname)
    cr = registry.cursor()
    env = odoo().api.Environment(cr, odoo().SUPERUSER_ID, {})
    company_id = env.ref("base.main_company").id
    env = env(context=dict(NO_TRACKING, allowed_company_ids=[company_id]))
    return env, env.company


def copy_database(template, name):
    """A throwaway copy of ``template`` (without its filestore: nothing here reads it)."""
    odoo().sql_db.close_db(template)
    fenxiao_env.drop_database(name)
    conn = fenxiao_env.connect()
    try:
        with conn.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        conn.close()
    return name


def vacuum(dbname):
    """Hint bits and statistics, as in a database that has lived a while."""
    conn = fenxiao_env.connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute("VACUUM ANALYZE")
    finally:
        conn.close()


# ----------------------------------------------------------------------
# Data in SQL (what is not measured)
# ----------------------------------------------------------------------
def insert_partners(env, company, count, prefix, extra=None):
    """``count`` contacts, plain SQL; ``extra`` adds {column: value} to each."""
    extra = extra or {}
    columns = "".join(f", {column}" for column in extra)
    values = "".join(", %s" for _column in extra)
    env.cr.execute(
        f"""
        INSERT INTO res_partner (name, complete_name, active, type, is_company, company_id,
                                 autopost_bills, create_date, write_date{columns})
        SELECT %s || g, %s || g, true, 'contact', false, %s, 'ask', now(), now(){values}
          FROM generate_series(1, %s) g
        RETURNING id
        """,  # noqa: S608
        [prefix, prefix, company.id, *extra.values(), count],
    )
    return [row[0] for row in env.cr.fetchall()]


def insert_distributors(env, company, parents, code):
    """One active distributor (and contact) under each of ``parents`` (None: a root)."""
    partner_ids = insert_partners(env, company, len(parents), f"{code} ")
    env.cr.execute(
        """
        WITH new AS (
            SELECT nextval('fenxiao_distributor_id_seq') AS id, p, par
              FROM unnest(%s::int[], %s::int[]) AS x(p, par)
        )
        INSERT INTO fenxiao_distributor (id, partner_id, parent_id, parent_path, company_id,
                    tier_id, state, referral_code, name, join_date, state_date, create_date,
                    write_date)
        SELECT new.id, new.p, new.par, COALESCE(up.parent_path, '') || new.id || '/', %s, %s,
               'active', %s || new.p, %s || new.p, now(), now(), now(), now()
          FROM new
          LEFT JOIN fenxiao_distributor up ON up.id = new.par
        RETURNING id, partner_id
        """,
        [partner_ids, parents, company.id, env.ref("fenxiao.tier_basic").id, code, f"{code} "],
    )
    rows = env.cr.fetchall()
    env.cr.execute("ANALYZE fenxiao_distributor")
    env.invalidate_all()
    return rows


# ----------------------------------------------------------------------
# A. Orders, confirmed, invoiced and paid
# ----------------------------------------------------------------------
def setup_orders(env, company):
    """Two storable products in stock and the customers, the same in every database.

    The demo data's loyalty programs (promotions, gift cards) are archived on
    both sides, so that no order gets a reward line in one and not the other.
    """
    Command = odoo().fields.Command
    if "loyalty.program" in env:
        env["loyalty.program"].search([]).action_archive()
    products = env["product.product"].create(
        [
            {"name": "bench 精华 Serum", "list_price": 100.0, "is_storable": True},
            {"name": "bench 面膜 Mask", "list_price": 50.0, "is_storable": True},
        ]
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    for product in products:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 1e6)
    customers = env["res.partner"].create(
        [{"name": f"bench customer {i}", "company_id": False} for i in range(CUSTOMERS)]
    )
    lines = [
        Command.create({"product_id": products[0].id, "product_uom_qty": 1}),
        Command.create({"product_id": products[1].id, "product_uom_qty": 2}),
    ]
    env.flush_all()
    return customers, lines


def order_and_pay(env, customer, lines):
    order = env["sale.order"].create({"partner_id": customer.id, "order_line": lines})
    order.action_confirm()
    invoice = order._create_invoices()
    invoice.action_post()
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=invoice.ids
    ).create({})._create_payments()
    return order


def run_orders(dbname, company_id, customer_ids, lines, count):
    """Per order: ms and queries, each order in its own transaction, like a request.

    One transaction for all orders would measure the ORM slowing down as a
    transaction grows (its environments and pending callbacks pile up), which
    no shop ever sees: from 300 to 1,000 ms an order over 1,000 orders.
    """
    registry = odoo().modules.registry.Registry(dbname)
    context = dict(NO_TRACKING, allowed_company_ids=[company_id])
    times, queries, order_ids = [], [], []
    for number in range(count):
        start = time.perf_counter()
        with registry.cursor() as cr:  # commits at the end, running the pre-commit hooks
            env = odoo().api.Environment(cr, odoo().SUPERUSER_ID, context)
            customer = env["res.partner"].browse(customer_ids[number % len(customer_ids)])
            order_ids.append(order_and_pay(env, customer, lines).id)
        times.append((time.perf_counter() - start) * 1000)
        queries.append(cr.sql_log_count)
    return {
        "count": count,
        "total_s": sum(times) / 1000,
        "median_ms": statistics.median(times),
        "queries": sum(queries) / count,
        "order_ids": order_ids,
    }


def setup_chain(env, company, customers):
    """A 3-level chain top > mid > leaf, the customers bound to the leaf.

    The top's team is 10 (mid, leaf and 8 more under mid); rules pay 10%, 5%
    and 2% on 3 levels.
    """
    company.fenxiao_max_levels = 3
    company.fenxiao_commission_inactive_upline = "skip"
    env["fenxiao.commission.rule"].search([]).action_archive()
    env["fenxiao.commission.rule"].create(
        [
            {"name": f"bench L{level}", "level": level, "rate": rate, "company_id": company.id}
            for level, rate in LEVEL_RATES.items()
        ]
    )
    [(top, _p)] = insert_distributors(env, company, [None], "BENCHTOP")
    [(mid, _p)] = insert_distributors(env, company, [top], "BENCHMID")
    [(leaf, _p)] = insert_distributors(env, company, [mid], "BENCHLEAF")
    insert_distributors(env, company, [mid] * 8, "BENCHTEAM")
    customers.write(
        {"fenxiao_distributor_id": leaf, "fenxiao_bound_date": odoo().fields.Datetime.now()}
    )
    top = env["fenxiao.distributor"].browse(top)
    assert top.team_size == TEAM_SIZES[0], top.team_size
    return top, env["fenxiao.distributor"].browse(mid)


def prepared_copy(dbname, setup):
    """A throwaway copy of ``dbname`` with the products and customers, and ``setup``'s data.

    Returns the copy's name, the company id, the order lines and what
    ``setup(env, company, customers)`` returns.
    """
    work = copy_database(dbname, f"{dbname}_throwaway")
    try:
        env, company = environment(work)
        try:
            customers, lines = setup_orders(env, company)
            prepared = setup(env, company, customers)
            env.cr.commit()
        finally:
            env.cr.close()
        vacuum(work)
    except BaseException:
        fenxiao_env.drop_database(work)
        raise
    return work, company.id, lines, prepared


def bench_orders_suite(dbname, count):
    def setup(env, company, customers):
        unbound = customers[: CUSTOMERS // 10]
        top, mid = setup_chain(env, company, customers - unbound)
        return (customers - unbound).ids, unbound.ids, top.id, [top.id, *mid.child_ids.ids]

    work, company_id, lines, (bound, unbound, top_id, parents) = prepared_copy(dbname, setup)
    try:
        run_orders(work, company_id, bound, lines, 10)  # warm-up: caches, sequences
        results = {"suite": run_orders(work, company_id, bound, lines, count)}
        env, company = environment(work)
        try:
            got = env["fenxiao.commission.line"].search_count(
                [("order_id", "in", results["suite"]["order_ids"])]
            )
        finally:
            env.cr.close()
        expected = count * 2 * len(LEVEL_RATES)
        assert got == expected, f"{got} commission lines for {count} orders, not {expected}"
        results["commission"] = got
        results["unbound"] = run_orders(work, company_id, unbound, lines, TEAM_BATCH)
        results["team"] = {TEAM_SIZES[0]: run_orders(work, company_id, bound, lines, TEAM_BATCH)}
        # The rest of the big team, spread under the top, the mid and the 8.
        env, company = environment(work)
        try:
            more = TEAM_SIZES[1] - TEAM_SIZES[0]
            insert_distributors(
                env, company, [parents[i % len(parents)] for i in range(more)], "BENCHBIG"
            )
            team = env["fenxiao.distributor"].browse(top_id).team_size
            assert team == TEAM_SIZES[1], team
            env.cr.commit()
        finally:
            env.cr.close()
        results["team"][TEAM_SIZES[1]] = run_orders(work, company_id, bound, lines, TEAM_BATCH)
        return results
    finally:
        fenxiao_env.drop_database(work)


def bench_orders_vanilla(dbname, count):
    work, company_id, lines, customers = prepared_copy(
        dbname, lambda env, company, customers: customers.ids
    )
    try:
        run_orders(work, company_id, customers, lines, 10)
        return run_orders(work, company_id, customers, lines, count)
    finally:
        fenxiao_env.drop_database(work)


# ----------------------------------------------------------------------
# B. Settlement
# ----------------------------------------------------------------------
def settlement_dates(env, company):
    """Two past weekly periods before any commission or settlement of the database."""
    env.cr.execute(
        """
        SELECT LEAST(
            current_date,
            (SELECT min(available_date) FROM fenxiao_commission_line WHERE state = 'available'),
            (SELECT min(date_from) FROM fenxiao_commission_settlement))
        """
    )
    anchor = env.cr.fetchone()[0] - datetime.timedelta(days=60)
    sunday = anchor - datetime.timedelta(days=(anchor.weekday() + 1) % 7)
    return [
        (sunday - datetime.timedelta(days=6 - 7 * i), sunday + datetime.timedelta(days=7 * i))
        for i in range(len(SETTLE_SIZES))
    ]


def insert_commission_lines(env, company, lines, distributors, available_date):
    """``lines`` available commission lines spread over ``distributors`` new distributors.

    Each order line earns on levels 1 to 3 (the ledger's exclusion allows one
    line per order line and level), so a third as many order lines are
    inserted, all in one order.
    """
    rows = insert_distributors(env, company, [None] * distributors, f"SETTLE{lines}_")
    customer = company.partner_id.id
    env.cr.execute(
        """
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id,
                    company_id, currency_id, currency_rate, date_order, state, picking_policy,
                    create_date, write_date)
        VALUES (%s, %s, %s, %s, %s, %s, 1, now(), 'sale', 'direct', now(), now())
        RETURNING id
        """,
        [f"SETTLE{lines}", customer, customer, customer, company.id, company.currency_id.id],
    )
    order_id = env.cr.fetchone()[0]
    product = env["product.product"].search([("sale_ok", "=", True)], limit=1).id
    env.cr.execute(
        """
        INSERT INTO sale_order_line (order_id, name, product_id, product_uom_qty, price_unit,
                    customer_lead, company_id, currency_id, state, create_date, write_date)
        SELECT %s, 'bench ' || g, %s, 1, 10 + g %% 990, 0, %s, %s, 'sale', now(), now()
          FROM generate_series(0, %s) g
         ORDER BY g
        RETURNING id
        """,
        [order_id, product, company.id, company.currency_id.id, (lines - 1) // 3],
    )
    order_lines = sorted(row[0] for row in env.cr.fetchall())
    env.cr.execute(
        """
        INSERT INTO fenxiao_commission_line (company_id, currency_id, date, distributor_id,
                    partner_id, level, order_id, order_line_id, customer_id, product_id,
                    quantity, amount_type, rate, base_amount, amount, kind, state,
                    available_date, create_uid, write_uid, create_date, write_date)
        SELECT %(company)s, %(currency)s, now(), d.id, d.partner, 1 + g %% 3, %(order)s,
               (%(order_lines)s::int[])[1 + g / 3], %(customer)s, %(product)s, 1, 'percent',
               %(rate)s, 10 + (g / 3) %% 990, round((10 + (g / 3) %% 990) * %(rate)s / 100, 2),
               'commission', 'available', %(available)s, 1, 1, now(), now()
          FROM generate_series(0, %(lines)s - 1) g
          JOIN unnest(%(ids)s::int[], %(partners)s::int[]) WITH ORDINALITY
               AS d(id, partner, n) ON d.n = 1 + g %% %(distributors)s
        """,
        {
            "company": company.id,
            "currency": company.currency_id.id,
            "order": order_id,
            "order_lines": order_lines,
            "customer": customer,
            "product": product,
            "rate": 10.0,
            "available": available_date,
            "lines": lines,
            "ids": [row[0] for row in rows],
            "partners": [row[1] for row in rows],
            "distributors": distributors,
        },
    )
    env.cr.execute("ANALYZE fenxiao_commission_line")
    env.cr.execute("ANALYZE sale_order_line")
    env.invalidate_all()


def warm_up(env, func):
    """Run ``func`` once and roll it back: the figures are of a warm server.

    Odoo builds per-registry caches (field trigger trees, views) on first use;
    a settlement run by a long-lived server or cron worker finds them built.
    Both sides get the same warm-up on the same data, and a VACUUM after it
    so that the rolled-back rows do not slow the measured run.
    """
    env.cr.execute("SAVEPOINT bench_warm_up")
    func()
    env.flush_all()
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_warm_up")
    env.cr.commit()
    env.invalidate_all()
    vacuum(env.cr.dbname)


def timed(env, func):
    env.invalidate_all()
    before = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    return result, time.perf_counter() - start, env.cr.sql_log_count - before


def check_settlement(env, settlement, lines):
    """The move balances and its payable is exactly the sum of the settled lines."""
    env.cr.execute(
        "SELECT count(*), sum(amount), count(DISTINCT partner_id) FROM fenxiao_commission_line "
        "WHERE settlement_id = %s",
        [settlement.id],
    )
    count, ledger, partners = env.cr.fetchone()
    env.cr.execute(
        """
        SELECT count(*), sum(debit), sum(credit),
               sum(credit - debit) FILTER (WHERE account_id = %s)
          FROM account_move_line
         WHERE move_id = %s
        """,
        [settlement.company_id.fenxiao_commission_payable_account_id.id, settlement.move_id.id],
    )
    move_lines, debit, credit, payable = env.cr.fetchone()
    currency = settlement.currency_id
    ok = (
        count == lines
        and settlement.move_id.state == "posted"
        and currency.is_zero(debit - credit)
        and currency.is_zero(payable - ledger)
        and currency.is_zero(settlement.amount_total - ledger)
        and move_lines == partners + 1
    )
    return {
        "ok": ok,
        "lines": count,
        "move": settlement.move_id.name,
        "move_lines": move_lines,
        "debit": debit,
        "credit": credit,
        "payable": payable,
        "ledger": ledger,
        "total": settlement.amount_total,
    }


def bench_settle_suite(dbname):
    """``_settle`` of lines committed beforehand, in a throwaway copy of the bench database.

    Committed, not inserted by the measured transaction: PostgreSQL checks
    every foreign key of a row again when the transaction that inserted it
    updates it, which a real settlement (of lines recorded days before) never
    does.
    """
    work = copy_database(dbname, f"{dbname}_throwaway")
    results = {}
    try:
        env, company = environment(work)
        periods = settlement_dates(env, company)
        for (lines, distributors), (_date_from, date_to) in zip(SETTLE_SIZES, periods, strict=True):
            insert_commission_lines(env, company, lines, distributors, date_to)
        env.cr.commit()
        env.cr.close()
        vacuum(work)
        for (lines, distributors), (date_from, date_to) in zip(SETTLE_SIZES, periods, strict=True):
            env, company = environment(work)
            try:
                settle = functools.partial(
                    env["fenxiao.commission.settlement"]._settle, company, date_from, date_to
                )
                warm_up(env, settle)
                settlement, seconds, queries = timed(env, settle)
                results[lines] = {
                    "distributors": distributors,
                    "seconds": seconds,
                    "queries": queries,
                    "check": check_settlement(env, settlement, lines),
                }
                env.cr.commit()  # the next, bigger period must not take these lines again
            finally:
                env.cr.close()
        return results
    finally:
        fenxiao_env.drop_database(work)


def setup_oca(env, company):
    """10,000 agent lines of 1,000 agents on posted invoices of last month.

    10 customers each have 100 agents; one invoice of 10 lines per customer,
    so OCA itself puts 100 agents on every invoice line: each agent gets 10
    lines to settle.
    """
    Command = odoo().fields.Command
    commission = env["commission"].create(
        {
            "name": "bench 10%",
            "commission_type": "fixed",
            "fix_qty": 10.0,
            "settlement_type": "sale_invoice",
            "invoice_state": "open",
        }
    )
    agents = insert_partners(
        env,
        company,
        OCA_AGENTS,
        "bench agent ",
        {
            "agent": True,
            "agent_type": "agent",
            "settlement": "monthly",
            "commission_id": commission.id,
        },
    )
    invoices_count = 10
    per_invoice = OCA_LINES // invoices_count // (OCA_AGENTS // invoices_count)
    customers = env["res.partner"].create(
        [
            {
                "name": f"bench customer {i}",
                "agent_ids": [Command.set(agents[i::invoices_count])],
            }
            for i in range(invoices_count)
        ]
    )
    product = env["product.product"].create({"name": "bench 精华 Serum", "list_price": 100.0})
    first = datetime.date.today().replace(day=1)
    invoice_date = first - datetime.timedelta(days=10)
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": invoice_date,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": 1, "price_unit": 90 + n})
                    for n in range(per_invoice)
                ],
            }
            for customer in customers
        ]
    )
    invoices.action_post()
    env.flush_all()
    env.cr.execute(
        "SELECT count(*), count(DISTINCT agent_id) FROM account_invoice_line_agent "
        "WHERE invoice_id = ANY(%s)",
        [invoices.ids],
    )
    assert env.cr.fetchone() == (OCA_LINES, OCA_AGENTS)
    return agents


def bench_settle_oca(dbname):
    """OCA's settlement wizard on agent lines committed beforehand, in a throwaway copy."""
    work = copy_database(dbname, f"{dbname}_throwaway")
    try:
        env, company = environment(work)
        agents = setup_oca(env, company)
        env.cr.commit()
        env.cr.close()
        vacuum(work)
        env, company = environment(work)
        try:
            wizard = env["commission.make.settle"].create(
                {
                    "date_to": datetime.date.today(),
                    "settlement_type": "sale_invoice",
                    "agent_ids": [odoo().fields.Command.set(agents)],
                }
            )
            warm_up(env, wizard.action_settle)
            _action, seconds, queries = timed(env, wizard.action_settle)
            settled = env["commission.settlement.line"].search_count([("agent_id", "in", agents)])
            assert settled == OCA_LINES, f"OCA settled {settled} lines, not {OCA_LINES}"
            return {"seconds": seconds, "queries": queries}
        finally:
            env.cr.rollback()
            env.cr.close()
    finally:
        fenxiao_env.drop_database(work)


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------
def line(label, ms, queries):
    shown = f"{queries:8d}" if isinstance(queries, int) else f"{queries:8.1f}"
    return f"{label:58} {ms:10.1f} {shown}"


def run(dbname, vanilla, oca, orders, modules):
    """Run every commission measure, print the table and the ratios; False on a bad entry.

    ``modules``: what the vanilla database was given (vanilla_modules), printed
    so that the report says what "vanilla" means.
    """
    print(
        f"bench: vanilla Odoo ({vanilla}) = the suite bench's Odoo and OCA modules, "
        f"{len(modules)}: {', '.join(modules)}",
        flush=True,
    )
    print(f"bench: {orders:,} orders in a copy of {dbname}, then of {vanilla}", flush=True)
    suite = bench_orders_suite(dbname, orders)
    plain = bench_orders_vanilla(vanilla, orders)
    print(f"bench: settlements in a copy of {dbname}, then OCA's in a copy of {oca}", flush=True)
    ours = bench_settle_suite(dbname)
    theirs = bench_settle_oca(oca)

    print(f"{'per order (median ms, mean queries)':58} {'median ms':>10} {'queries':>8}")
    rows = [
        ("order, confirm, invoice, post, pay (suite, 3 levels)", suite["suite"]),
        ("  same in vanilla Odoo", plain),
        (f"  suite, customer bound to nobody ({TEAM_BATCH} orders)", suite["unbound"]),
        *(
            (f"  suite, top's team of {size:,} ({TEAM_BATCH} orders)", result)
            for size, result in suite["team"].items()
        ),
    ]
    for label, result in rows:
        print(line(label, result["median_ms"], result["queries"]))
    print(f"{'settlement (one run)':58} {'ms':>10} {'queries':>8}")
    for lines, result in ours.items():
        label = f"settle {lines:,} lines of {result['distributors']:,} distributors"
        print(line(label, result["seconds"] * 1000, result["queries"]))
    label = f"  OCA make.settle, {OCA_LINES:,} lines of {OCA_AGENTS:,} agents"
    print(line(label, theirs["seconds"] * 1000, theirs["queries"]))

    s, v = suite["suite"], plain
    # The figure, read off rather than subtracted by hand.
    print(
        f"bench: suite − vanilla: {s['queries'] - v['queries']:.1f} queries per order "
        f"({s['queries'] - suite['unbound']['queries']:.1f} of them recording commission)"
    )
    print(
        f"bench: {orders:,} orders: suite {s['total_s']:.1f} s, vanilla {v['total_s']:.1f} s "
        f"(x{s['total_s'] / v['total_s']:.2f}); queries/order {s['queries']:.1f} vs "
        f"{v['queries']:.1f}: +{s['queries'] - v['queries']:.1f} for the suite "
        f"({s['queries'] - suite['unbound']['queries']:.1f} of them recording commission); "
        f"{suite['commission']:,} commission lines"
    )
    print(
        "bench: queries/order with the top's team of "
        + " and of ".join(
            f"{size:,}: {result['queries']:.1f}" for size, result in suite["team"].items()
        )
    )
    oca_rate = OCA_LINES / theirs["seconds"]
    for lines, result in ours.items():
        rate = lines / result["seconds"]
        print(
            f"bench: settlement of {lines:,} lines: {rate:,.0f} lines/s, OCA {oca_rate:,.0f} "
            f"lines/s ({OCA_LINES:,} lines): x{rate / oca_rate:.1f} (aim x10)"
        )
    for lines, result in ours.items():
        check = result["check"]
        print(
            f"bench: settlement {check['move']} of {lines:,} lines: {check['move_lines']:,} "
            f"move lines, debit ¥{check['debit']:,.2f} = credit ¥{check['credit']:,.2f}; payable "
            f"¥{check['payable']:,.2f} = sum of the lines ¥{check['ledger']:,.2f} = settlement "
            f"total ¥{check['total']:,.2f}: "
            + ("balanced and equal" if check["ok"] else "MISMATCH")
        )
    return all(result["check"]["ok"] for result in ours.values())
