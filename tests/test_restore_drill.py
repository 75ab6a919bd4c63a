"""The restore drill (scripts/restore_drill) on the database scripts/test builds.

Backs the test database up as the scheduled backup does, restores it into a
new database and compares: the copy must match, and the comparison must see
a changed order amount and a damaged file store (a drill that cannot fail
proves nothing). About a minute: the restore loads the copy's registry.
"""

import importlib.util
import os
from importlib.machinery import SourceFileLoader

import odoo
from odoo.sql_db import db_connect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load_drill():
    """scripts/restore_drill as a module (a script without .py)."""
    loader = SourceFileLoader("restore_drill", os.path.join(ROOT, "scripts", "restore_drill"))
    spec = importlib.util.spec_from_loader("restore_drill", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_restored_copy_matches_and_a_difference_is_caught(tmp_path):
    drill = _load_drill()
    dbname = odoo.tools.config["db_name"]
    drill_db = f"{dbname}_drill_pytest"
    drill.drop(drill_db)  # left over by an interrupted run
    backup = tmp_path / "backup.dump.zip"
    size = drill.make_backup(dbname, str(backup))
    assert size > 1024 * 1024
    drill.restore_backup(drill_db, str(backup))
    try:
        source = drill.snapshot(dbname)
        restored = drill.snapshot(drill_db)
        sections = {title for title, _key in source}
        # the demo trade is there to compare: orders, ledger, settlements, journals
        for title, *_query in drill.SECTIONS:
            assert title in sections, title
        assert source[(drill.FILES, "present, same checksum")][0] > 0
        assert drill.compare(source, restored) == []

        # damage the copy: one order's total, one file altered, one file gone
        with db_connect(drill_db).cursor() as cr:
            cr.execute(
                "UPDATE sale_order SET amount_total = amount_total + 0.01"
                " WHERE id = (SELECT min(id) FROM sale_order WHERE state = 'sale')"
                " RETURNING state"
            )
            assert cr.fetchone() == ("sale",)
            cr.execute(
                "SELECT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL"
                " ORDER BY id LIMIT 2"
            )
            altered, removed = (row[0] for row in cr.fetchall())
        filestore = odoo.tools.config.filestore(drill_db)
        with open(os.path.join(filestore, altered), "ab") as fh:
            fh.write(b"!")
        os.unlink(os.path.join(filestore, removed))

        diffs = drill.compare(source, drill.snapshot(drill_db))
        found = {(title, key) for title, key, _src, _dst in diffs}
        assert found == {
            ("sale orders (count, total) by state", "sale"),
            (drill.FILES, "present, same checksum"),
            (drill.FILES, "checksum differs"),
            (drill.FILES, "missing"),
        }
        order = next(d for d in diffs if d[1] == "sale")
        assert order[2][0] == order[3][0], "same number of orders"
        assert round(order[3][1] - order[2][1], 2) == 0.01
    finally:
        drill.drop(drill_db)
    assert not drill.database_exists(drill_db)
