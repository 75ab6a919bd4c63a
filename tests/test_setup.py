"""scripts/setup refuses bad Odoo sources with one line and keeps nothing of them.

Each case runs the real script with its cache and environment in a temporary
folder, so the suite's own environment is never touched; every case stops
before an environment is built.
"""

import hashlib
import io
import os
import subprocess
import sys
import tarfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETUP = os.path.join(ROOT, "scripts", "setup")


def make_source_archive(path, version_info=(18, 0, 0, "final", 0), top="odoo-18.0"):
    """A tarball shaped like Odoo's source: setup.py and odoo/release.py."""
    release = f"version_info = {version_info!r}\nversion = '{version_info[0]}.{version_info[1]}'\n"
    with tarfile.open(path, "w:gz") as tar:
        for name, text in (
            (f"{top}/setup.py", "raise SystemExit('not for building')\n"),
            (f"{top}/odoo/release.py", release),
        ):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def run_setup(tmp_path, **env):
    environ = dict(
        os.environ,
        FENXIAO_CACHE=str(tmp_path / "cache"),
        FENXIAO_VENV=str(tmp_path / "venv"),
        **env,
    )
    for name in ("ODOO_SOURCE", "ODOO_SOURCE_SHA256"):
        if name not in env:
            environ.pop(name, None)
    result = subprocess.run(
        [sys.executable, SETUP, "--for", "run"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stderr


def last_line(stderr):
    return stderr.strip().splitlines()[-1]


def unpacked(tmp_path):
    cache = tmp_path / "cache"
    return (
        sorted(p.name for p in cache.iterdir() if p.name.startswith("odoo-"))
        if cache.exists()
        else []
    )


def test_corrupt_archive(tmp_path):
    archive = tmp_path / "odoo.tar.xz"
    archive.write_bytes(b"\xfd7zXZ\x00" + os.urandom(4096))
    rc, err = run_setup(tmp_path, ODOO_SOURCE=str(archive))
    assert rc == 2
    assert "is not a readable Odoo source archive" in last_line(err)
    assert "download it again" in last_line(err)
    assert unpacked(tmp_path) == []
    assert not (tmp_path / "venv").exists()


def test_wrong_checksum(tmp_path):
    archive = make_source_archive(tmp_path / "odoo.tar.gz")
    rc, err = run_setup(tmp_path, ODOO_SOURCE=str(archive), ODOO_SOURCE_SHA256="0" * 64)
    assert rc == 2
    assert "not ODOO_SOURCE_SHA256" in last_line(err)
    assert unpacked(tmp_path) == []


def test_not_odoo_18(tmp_path):
    archive = make_source_archive(tmp_path / "odoo17.tar.gz", (17, 0, 0, "final", 0), "odoo-17.0")
    checksum = hashlib.sha256(archive.read_bytes()).hexdigest()
    rc, err = run_setup(tmp_path, ODOO_SOURCE=str(archive), ODOO_SOURCE_SHA256=checksum)
    assert rc == 2
    assert "holds Odoo 17.0, the suite needs Odoo 18.0" in last_line(err)
    assert unpacked(tmp_path) == [], "a refused source is not kept in the cache"


def test_not_odoo_at_all(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    rc, err = run_setup(tmp_path, ODOO_SOURCE=str(folder))
    assert rc == 2
    assert "is a folder without Odoo's source" in last_line(err)


def test_missing_file(tmp_path):
    rc, err = run_setup(tmp_path, ODOO_SOURCE=str(tmp_path / "nowhere.tar.xz"))
    assert rc == 2
    assert "does not exist" in last_line(err)


def test_no_network(tmp_path):
    # Port 9 (discard) on loopback: nothing listens, the connection is refused.
    rc, err = run_setup(tmp_path, ODOO_SOURCE="http://127.0.0.1:9/odoo_18.0.latest.tar.gz")
    assert rc == 2
    line = last_line(err)
    assert "cannot download Odoo's source" in line
    assert "set ODOO_SOURCE to an Odoo 18.0 source tarball" in line
    downloads = tmp_path / "cache" / "downloads"
    assert not downloads.exists() or not list(downloads.iterdir()), "no partial download is kept"


@pytest.mark.parametrize("python", ["python2.7-that-does-not-exist"])
def test_python_that_does_not_run(tmp_path, python):
    rc, err = run_setup(tmp_path, FENXIAO_PYTHON=python)
    assert rc == 2
    assert "does not run" in last_line(err)
