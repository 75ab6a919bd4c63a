"""docker/entrypoint makes the secrets once and never again, and the server's
configuration holds them and nothing of the development set-up.

Each case runs the real script against a temporary data folder, with
``env`` as the command, so nothing is started.
"""

import configparser
import os
import stat
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENTRYPOINT = os.path.join(ROOT, "docker", "entrypoint")
ODOO_CONF = os.path.join(ROOT, "odoo.conf")
DEV_KEY = "dev-only-not-secret-7f3c9a1e"
SECRET_NAMES = ("FENXIAO_ADMIN_PASSWD", "FENXIAO_ENCRYPTION_KEY", "FENXIAO_ADMIN_PASSWORD")


def start(data, **env):
    environ = {k: v for k, v in os.environ.items() if k not in SECRET_NAMES}
    environ.pop("FENXIAO_CONFIG", None)
    environ.update(FENXIAO_DATA=str(data), **env)
    result = subprocess.run(
        [ENTRYPOINT, "env"], env=environ, capture_output=True, text=True, timeout=30, check=True
    )
    return result.stdout


def options(path):
    parser = configparser.RawConfigParser()  # strict, as Odoo's: an option twice fails
    parser.read(path)
    return dict(parser.items("options"))


def test_repository_config_holds_no_secret():
    config = options(ODOO_CONF)
    assert "admin_passwd" not in config
    assert "fenxiao_encryption_key" not in config
    assert config["list_db"] == "False"


def test_first_start_generates_secrets_and_a_config_with_them(tmp_path):
    out = start(tmp_path)
    secrets = options(tmp_path / "fenxiao-secrets.conf")
    config = options(tmp_path / "odoo.conf")
    assert len(secrets["admin_passwd"]) >= 40
    assert len(secrets["fenxiao_encryption_key"]) >= 40
    assert secrets["admin_passwd"] != secrets["fenxiao_encryption_key"]
    assert DEV_KEY not in (tmp_path / "odoo.conf").read_text()
    assert config["admin_passwd"] == secrets["admin_passwd"]
    assert config["fenxiao_encryption_key"] == secrets["fenxiao_encryption_key"]
    assert config["list_db"] == "False"
    # the command runs with the configuration and the administrator's password
    assert f"FENXIAO_CONFIG={tmp_path / 'odoo.conf'}" in out
    password = (tmp_path / "fenxiao-admin-password").read_text().strip()
    assert len(password) >= 12
    assert f"FENXIAO_ADMIN_PASSWORD={password}" in out
    assert f"password {password}" in out, "printed at the first start"
    for name in ("fenxiao-secrets.conf", "fenxiao-admin-password", "odoo.conf"):
        mode = stat.S_IMODE(os.stat(tmp_path / name).st_mode)
        assert mode & 0o077 == 0, f"{name} is readable by others ({oct(mode)})"


def test_secrets_are_never_generated_again(tmp_path):
    start(tmp_path)
    secrets = (tmp_path / "fenxiao-secrets.conf").read_text()
    password = (tmp_path / "fenxiao-admin-password").read_text()
    out = start(tmp_path, FENXIAO_ENCRYPTION_KEY="too late")
    assert (tmp_path / "fenxiao-secrets.conf").read_text() == secrets
    assert (tmp_path / "fenxiao-admin-password").read_text() == password
    assert "administrator's login" not in out, "printed once only"
    assert "too late" not in (tmp_path / "odoo.conf").read_text()


def test_secrets_from_the_environment_at_the_first_start(tmp_path):
    out = start(
        tmp_path,
        FENXIAO_ADMIN_PASSWD="master-from-env",
        FENXIAO_ENCRYPTION_KEY="key-from-env",
        FENXIAO_ADMIN_PASSWORD="admin-from-env",
    )
    config = options(tmp_path / "odoo.conf")
    assert config["admin_passwd"] == "master-from-env"
    assert config["fenxiao_encryption_key"] == "key-from-env"
    assert "FENXIAO_ADMIN_PASSWORD=admin-from-env" in out
    assert "password admin-from-env" not in out, "a password one chose is not printed"


def test_a_secret_written_into_odoo_conf_by_hand_is_replaced(tmp_path):
    source = tmp_path / "source.conf"
    source.write_text(open(ODOO_CONF, encoding="utf-8").read() + "admin_passwd = typed-by-hand\n")
    start(tmp_path / "data", FENXIAO_SOURCE_CONFIG=str(source))
    config = options(tmp_path / "data" / "odoo.conf")  # parses: no option twice
    assert config["admin_passwd"] != "typed-by-hand"
