# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's database dump, for a server that keeps its database manager off.

``odoo.service.db.dump_db`` (and ``dump_db_manifest``, which it calls) refuse
to run when ``list_db`` is False: they are the web database manager's
functions, and a shop open to the internet keeps that manager off (odoo.conf,
README "Production"). OCA auto_backup calls them, so its README says backups
"won't work if list_db=False". Turning ``list_db`` on for the length of a
backup would open the manager to every request the process serves meanwhile.

``dump_db`` below is Odoo 18's function, line for line, without the guard:
the same zip (``dump.sql`` from pg_dump, ``filestore/``, ``manifest.json``)
or pg_dump custom format, which Odoo's ``restore_db`` and the database
manager restore. Keep it in step with ``odoo/service/db.py`` on upgrades.
"""

import json
import logging
import os
import shutil
import subprocess
import tempfile

import odoo
from odoo.service import db as service_db
from odoo.tools.misc import exec_pg_environ, find_pg_tool

_logger = logging.getLogger(__name__)


def dump_db(db_name, stream, backup_format="zip"):
    """Dump ``db_name`` into the file object ``stream``; without a stream, return one."""
    _logger.info("DUMP DB: %s format %s", db_name, backup_format)
    cmd = [find_pg_tool("pg_dump"), "--no-owner", db_name]
    env = exec_pg_environ()
    if backup_format == "zip":
        with tempfile.TemporaryDirectory() as dump_dir:
            filestore = odoo.tools.config.filestore(db_name)
            if os.path.exists(filestore):
                shutil.copytree(filestore, os.path.join(dump_dir, "filestore"))
            with open(os.path.join(dump_dir, "manifest.json"), "w") as fh:
                with odoo.sql_db.db_connect(db_name).cursor() as cr:
                    # the undecorated function: same manifest, without the guard
                    json.dump(service_db.dump_db_manifest.__wrapped__(cr), fh, indent=4)
            cmd.insert(-1, "--file=" + os.path.join(dump_dir, "dump.sql"))
            subprocess.run(
                cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, check=True
            )
            # dump.sql first in the zip, as Odoo writes it
            if stream:
                odoo.tools.osutil.zip_dir(
                    dump_dir, stream, include_dir=False, fnct_sort=lambda name: name != "dump.sql"
                )
                return None
            out = tempfile.TemporaryFile()
            odoo.tools.osutil.zip_dir(
                dump_dir, out, include_dir=False, fnct_sort=lambda name: name != "dump.sql"
            )
            out.seek(0)
            return out
    cmd.insert(-1, "--format=c")
    # pylint: disable=consider-using-with
    stdout = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE).stdout
    if stream:
        shutil.copyfileobj(stdout, stream)
        return None
    return stdout
