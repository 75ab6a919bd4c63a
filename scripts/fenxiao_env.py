#!/usr/bin/env python3
"""Shared plumbing for scripts/run, scripts/test and scripts/bench.

Every check prints one line starting with ``fenxiao:`` and exits 2 when it
fails, so the shell scripts can stop fast with a message a person can act on.

Databases are built under a temporary name and renamed only when the build
has finished, so an interrupted build never leaves a database that the next
run would take for a good one.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The suite's virtual environment, made by scripts/setup.
VENV = os.path.abspath(os.environ.get("FENXIAO_VENV") or os.path.join(ROOT, ".venv"))
VENV_PYTHON = os.path.join(VENV, "bin", "python")
# odoo.conf holds no secret. The scripts start Odoo with FENXIAO_CONFIG when
# it is set (docker/entrypoint sets it to the configuration it made with the
# generated secrets), else with odoo.conf plus the development secret below.
BASE_CONFIG = os.path.join(ROOT, "odoo.conf")
DEV_CONFIG = os.path.join(ROOT, ".fenxiao-dev.conf")
# For development and tests only, never a shop's: the demo database's payout
# account numbers are encrypted with it.
DEV_SECRETS = {"fenxiao_encryption_key": "dev-only-not-secret-7f3c9a1e"}
BUILDING_SUFFIX = "__building"
# The suite's modules, in no particular order: Odoo resolves dependencies.
SUITE_ADDONS_DIR = os.path.join(ROOT, "addons")
# The company is made Chinese before the apps are installed, so that Odoo picks
# the Chinese chart of accounts (l10n_cn) and CNY when accounting installs.
COMPANY_COUNTRY = "base.cn"
COMPANY_CURRENCY = "base.CNY"
LANGUAGE = "zh_CN"


def config_path():
    """The configuration file Odoo runs with (see BASE_CONFIG above).

    The development configuration is written again from odoo.conf each time,
    so an edit of odoo.conf is never hidden by a stale copy.
    """
    explicit = os.environ.get("FENXIAO_CONFIG")
    if explicit:
        return explicit
    with open(BASE_CONFIG, encoding="utf-8") as base:
        text = base.read()
    text += "\n; development and tests only (scripts/fenxiao_env.py): never a shop's secret\n"
    text += "".join(f"{key} = {value}\n" for key, value in DEV_SECRETS.items())
    try:
        with open(DEV_CONFIG, encoding="utf-8") as current:
            if current.read() == text:
                return DEV_CONFIG
    except FileNotFoundError:
        pass
    # several scripts may start at once: each writes its own copy, then renames
    tmp = f"{DEV_CONFIG}.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, DEV_CONFIG)
    return DEV_CONFIG


def fail(message):
    print(f"fenxiao: {message}", file=sys.stderr)
    sys.exit(2)


def suite_modules():
    return sorted(
        name
        for name in os.listdir(SUITE_ADDONS_DIR)
        if os.path.isfile(os.path.join(SUITE_ADDONS_DIR, name, "__manifest__.py"))
    )


def use_suite_python(*setup_args):
    """Run scripts/setup, then carry on under the suite's Python.

    For the Python scripts that a person starts by hand (the bench, the
    simulators): they need Odoo and the suite's packages, which live in the
    environment scripts/setup makes, not in the python3 that started them.
    """
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    rc = subprocess.call([sys.executable, os.path.join(ROOT, "scripts", "setup"), *setup_args])
    if rc:
        sys.exit(rc)
    os.execv(VENV_PYTHON, [VENV_PYTHON, *sys.argv])


def import_odoo():
    try:
        import odoo  # noqa: PLC0415
        import odoo.release  # noqa: PLC0415
    except ImportError:
        fail(
            f"Odoo is not importable by {sys.executable}: "
            "run scripts/setup (README.md, Getting started)."
        )
    if odoo.release.version_info[0] != 18:
        fail(f"Odoo 18.0 is required, python3 imports Odoo {odoo.release.version}.")
    return odoo


def odoo_main_addons():
    """Odoo's own addons directory when Odoo runs from a source checkout.

    Packaged installs (deb, docker image, nightly wheels) keep every addon in
    ``odoo/addons``, which Odoo always searches; a source checkout keeps them in
    ``<checkout>/addons`` next to the ``odoo`` package, which it only searches
    when no addons path is configured.
    """
    odoo = import_odoo()
    path = os.path.abspath(os.path.join(os.path.dirname(odoo.__file__), "..", "addons"))
    if os.path.isfile(os.path.join(path, "web", "__manifest__.py")):
        return path
    return None


def addons_path():
    paths = [SUITE_ADDONS_DIR]
    extra = os.environ.get("FENXIAO_EXTRA_ADDONS")
    if extra:
        paths.extend(p for p in extra.split(",") if p)
    main = odoo_main_addons()
    if main:
        paths.append(main)
    return ",".join(paths)


_parsed = False


def odoo_config(log=None):
    """Odoo's configuration, parsed once per process.

    Odoo consumes some options while loading a registry (load_language), so a
    second parse in the same process would fail.
    """
    global _parsed  # noqa: PLW0603
    odoo = import_odoo()
    if _parsed:
        return odoo.tools.config
    _parsed = True
    args = ["-c", config_path(), "--addons-path", addons_path()]
    args += db_connection_args()
    if log:
        args += ["--logfile", log]
    odoo.tools.config.parse_config(args)
    return odoo.tools.config


def db_connection_args():
    """Connection settings from FENXIAO_DB_* variables (docker compose sets them)."""
    args = []
    for var, opt in (
        ("FENXIAO_DB_HOST", "--db_host"),
        ("FENXIAO_DB_PORT", "--db_port"),
        ("FENXIAO_DB_USER", "--db_user"),
        ("FENXIAO_DB_PASSWORD", "--db_password"),
    ):
        if os.environ.get(var):
            args += [opt, os.environ[var]]
    return args


def connect(dbname="postgres"):
    import psycopg2  # noqa: PLC0415

    config = odoo_config()
    params = {"dbname": dbname, "connect_timeout": 5}
    for key in ("host", "port", "user", "password"):
        value = config[f"db_{key}"]
        if value:
            params[key] = value
    try:
        conn = psycopg2.connect(**params)
    except psycopg2.OperationalError as exc:
        where = config["db_host"] or "the local socket"
        reason = str(exc).strip().splitlines()[0]
        fail(
            f"PostgreSQL is unreachable on {where}: {reason}. Start it (scripts/setup starts a "
            "local one) or point FENXIAO_DB_HOST / FENXIAO_DB_PORT at yours."
        )
    conn.autocommit = True
    return conn


def database_exists(name):
    with connect() as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def check_port(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", int(port)))
        except OSError:
            fail(f"port {port} is already in use; stop what runs there or pass another port.")


def drop_database(name):
    """Drop a database and its filestore, or the filestore a dropdb left behind."""
    odoo = import_odoo()
    config = odoo_config()
    config["list_db"] = True
    if database_exists(name):
        odoo.service.db.exp_drop(name)
    shutil.rmtree(config.filestore(name), ignore_errors=True)


def rename_database(old, new):
    odoo = import_odoo()
    config = odoo_config()
    config["list_db"] = True
    if database_exists(new):
        fail(f"database {new} already exists; drop it to rebuild.")
    # A database dropped outside Odoo (dropdb) leaves its filestore behind, and
    # exp_rename would then keep the new files under the old name.
    shutil.rmtree(config.filestore(new), ignore_errors=True)
    odoo.service.db.exp_rename(old, new)


def make_company_chinese(dbname):
    """Set the demo merchant's country and currency before the apps install."""
    odoo = import_odoo()
    odoo_config()
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        currency = env.ref(COMPANY_CURRENCY)
        currency.active = True
        env.ref("base.main_company").write(
            {"country_id": env.ref(COMPANY_COUNTRY).id, "currency_id": currency.id}
        )
        env["res.lang"]._activate_lang(LANGUAGE)


def set_admin_password(dbname, password):
    """Give the administrator (login admin) ``password`` instead of the demo's admin/admin."""
    if not password:
        fail("FENXIAO_ADMIN_PASSWORD is empty: no password to set.")
    odoo = import_odoo()
    odoo_config()
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.ref("base.user_admin").password = password


def odoo_server():
    """How to start Odoo's server with this Python.

    Odoo's own script (``odoo``, installed beside this Python, or ``odoo-bin``
    in a source folder) rather than ``python -m odoo``: with workers, Odoo
    starts its gevent process by running ``sys.argv[0]`` again, which only a
    script can be (``odoo/__main__.py`` run as a file fails on its relative
    import, and the live chat and notifications with it).
    """
    script = os.path.join(os.path.dirname(sys.executable), "odoo")
    if os.path.isfile(script):
        return [sys.executable, script]
    source = os.path.dirname(import_odoo().__path__[0])
    if os.path.isfile(os.path.join(source, "odoo-bin")):
        return [sys.executable, os.path.join(source, "odoo-bin")]
    # a packaged Odoo (the official docker image's /usr/bin/odoo), run by
    # this Python, which imports the same Odoo
    script = shutil.which("odoo")
    if script:
        return [sys.executable, script]
    return [sys.executable, "-m", "odoo"]


def odoo_command(dbname, *extra):
    return [
        *odoo_server(),
        "-c",
        config_path(),
        "--addons-path",
        addons_path(),
        *db_connection_args(),
        "-d",
        dbname,
        *extra,
    ]


def run_odoo(dbname, *extra, log=None):
    cmd = odoo_command(dbname, *extra)
    env = dict(os.environ, TZ="UTC")
    if log:
        with open(log, "ab") as out:
            return subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    return subprocess.call(cmd, env=env, cwd=ROOT)


def build(dbname, extra_args=(), log=None, keep_name=False):
    """Create ``dbname`` with every suite module and demo data.

    The database is built as ``<dbname>__building`` and renamed at the end
    (unless ``keep_name``), so a half-built database never carries the name.
    Returns Odoo's exit code of the installation step.
    """
    work = dbname if keep_name else dbname + BUILDING_SUFFIX
    odoo_config(log=log)
    drop_database(work)
    base_args = ["--stop-after-init", f"--load-language={LANGUAGE}"]
    rc = run_odoo(work, "-i", "base", *base_args, "--no-http", log=log)
    if rc:
        fail(f"creating database {work} failed (exit {rc}), see {log or 'the log above'}.")
    make_company_chinese(work)
    # Accounting first, on its own: Odoo loads the company's chart of accounts
    # (l10n_cn) only once an installation run ends, and the suite's demo data
    # (paid and invoiced orders, settlements) needs the journals already there.
    rc = run_odoo(work, "-i", "account", "--stop-after-init", "--no-http", log=log)
    if rc:
        fail(f"installing accounting into {work} failed (exit {rc}), see {log or 'the log above'}.")
    rc = run_odoo(work, "-i", ",".join(suite_modules()), "--stop-after-init", *extra_args, log=log)
    if rc:
        return rc
    if not keep_name:
        rename_database(work, dbname)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check-odoo", help="Odoo 18 is importable")
    sub.add_parser("check-db", help="PostgreSQL answers")
    port = sub.add_parser("check-port", help="a TCP port is free")
    port.add_argument("port")
    sub.add_parser("addons-path")
    sub.add_parser("config", help="the configuration file to start Odoo with")
    password = sub.add_parser(
        "set-admin-password", help="set the administrator's password from FENXIAO_ADMIN_PASSWORD"
    )
    password.add_argument("dbname")
    sub.add_parser("modules", help="the suite's modules, comma-separated")
    sub.add_parser("server", help="the command that starts Odoo's server, one word a line")
    exists = sub.add_parser("exists", help="exit 0 if the database exists")
    exists.add_argument("dbname")
    drop = sub.add_parser("drop")
    drop.add_argument("dbname")
    build_cmd = sub.add_parser("build", help="create a database with the suite and demo data")
    build_cmd.add_argument("dbname")
    build_cmd.add_argument("--log")
    build_cmd.add_argument("--keep-name", action="store_true")
    # Everything after "--" goes to Odoo unchanged (build DB -- --test-enable ...).
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    odoo_args = argv[split + 1 :]
    args = parser.parse_args(argv[:split])

    if args.command == "check-odoo":
        import_odoo()
    elif args.command == "check-db":
        connect().close()
    elif args.command == "check-port":
        check_port(args.port)
    elif args.command == "addons-path":
        print(addons_path())
    elif args.command == "config":
        print(config_path())
    elif args.command == "set-admin-password":
        set_admin_password(args.dbname, os.environ.get("FENXIAO_ADMIN_PASSWORD", ""))
    elif args.command == "server":
        print("\n".join(odoo_server()))
    elif args.command == "modules":
        print(",".join(suite_modules()))
    elif args.command == "exists":
        sys.exit(0 if database_exists(args.dbname) else 1)
    elif args.command == "drop":
        drop_database(args.dbname)
    elif args.command == "build":
        sys.exit(build(args.dbname, odoo_args, log=args.log, keep_name=args.keep_name))


if __name__ == "__main__":
    main()
