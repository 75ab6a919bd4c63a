# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import os
import shutil
import tempfile
import zipfile
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import config, mute_logger


@tagged("post_install", "-at_install")
class TestDbBackup(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Backup = cls.env["db.backup"]
        cls.manager = new_test_user(cls.env, login="fx_backup_admin", groups="base.group_system")
        cls.folder = tempfile.mkdtemp(prefix="fenxiao-backup-test-")
        cls.addClassCleanup(shutil.rmtree, cls.folder, ignore_errors=True)

    def _settings_state(self):
        settings = self.env["res.config.settings"].create({})
        return settings.fenxiao_backup_state, settings.fenxiao_backup_last_date

    def test_new_backup_proposes_a_shops_defaults(self):
        backup = self.Backup.with_user(self.manager).create({})
        self.assertEqual(backup.method, "local")
        self.assertEqual(backup.backup_format, "zip", "database and file store")
        self.assertEqual(backup.days_to_keep, 14)
        self.assertEqual(
            backup.folder, os.path.join(config["data_dir"], "backups", self.env.cr.dbname)
        )
        self.assertEqual(backup.responsible_id, self.manager)
        self.assertFalse(backup.last_success_date)

    def test_the_daily_cron_backs_up_only_what_is_configured(self):
        cron = self.env.ref("auto_backup.ir_cron_backup_scheduler_0")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        self.Backup.search([]).unlink()
        with patch("odoo.addons.fenxiao_backup.tools.dump_db") as dump:
            self.Backup.action_backup_all()
        dump.assert_not_called()
        self.assertEqual(self._settings_state(), ("none", False))

    def test_settings_warn_when_the_newest_backup_is_older_than_two_days(self):
        self.Backup.search([]).unlink()
        now = fields.Datetime.now()
        old = self.Backup.create({"folder": self.folder})
        self.assertEqual(self._settings_state(), ("never", False))
        old.last_success_date = now - timedelta(days=3)
        self.assertEqual(self._settings_state(), ("stale", now - timedelta(days=3)))
        # the newest backup of all configurations counts
        other = self.Backup.create({"folder": self.folder + "-other"})
        other.last_success_date = now - timedelta(hours=30)
        self.assertEqual(self._settings_state(), ("ok", now - timedelta(hours=30)))

    def test_failed_backup_leaves_one_todo_for_the_responsible(self):
        # a folder below a plain file can be neither made nor written
        blocker = os.path.join(self.folder, "a-file")
        with open(blocker, "w") as fh:
            fh.write("x")
        backup = self.Backup.create(
            {"folder": os.path.join(blocker, "backups"), "responsible_id": self.manager.id}
        )
        failure = self.env.ref("auto_backup.mail_message_subtype_failure")
        # auto_backup logs the failure at ERROR level (with its traceback)
        with (
            patch("odoo.addons.fenxiao_backup.tools.dump_db") as dump,
            mute_logger("odoo.addons.auto_backup.models.db_backup"),
        ):
            backup.action_backup()
            backup.action_backup()
        dump.assert_not_called()
        self.assertFalse(backup.last_success_date)
        self.assertTrue(backup.last_failure_date)
        self.assertEqual(len(backup.message_ids.filtered(lambda m: m.subtype_id == failure)), 2)
        todo = backup.activity_ids
        self.assertEqual(len(todo), 1, "two failures, one open to-do")
        self.assertEqual(todo.user_id, self.manager)
        self.assertEqual(todo.activity_type_id, self.env.ref("mail.mail_activity_data_warning"))
        self.assertIn(backup.name, str(todo.note))

    def test_backup_runs_with_the_database_manager_off_and_keeps_two_weeks(self):
        backup = self.Backup.create({"folder": self.folder})
        stale = os.path.join(self.folder, "2000_01_01_03_00_00.dump.zip")
        recent_name = self.Backup.filename(fields.Datetime.now() - timedelta(days=13))
        recent = os.path.join(self.folder, recent_name)
        for path in (stale, recent):
            with open(path, "wb") as fh:
                fh.write(b"old")
        with patch.dict(config.options, {"list_db": False}):
            backup.action_backup()
        self.assertTrue(backup.last_success_date)
        self.assertFalse(backup.activity_ids)
        made = [
            name
            for name in os.listdir(self.folder)
            if name.endswith(".dump.zip")
            and name not in (recent_name, "2000_01_01_03_00_00.dump.zip")
        ]
        self.assertEqual(len(made), 1)
        with zipfile.ZipFile(os.path.join(self.folder, made[0])) as archive:
            names = archive.namelist()
        self.assertIn("dump.sql", names)
        self.assertIn("manifest.json", names)
        self.assertTrue(any(name.startswith("filestore/") for name in names))
        self.assertFalse(os.path.exists(stale), "older than 14 days: removed")
        self.assertTrue(os.path.exists(recent), "13 days old: kept")
        self.assertEqual(self._settings_state()[0], "ok")

    def test_only_an_administrator_runs_a_backup(self):
        reader = new_test_user(self.env, login="fx_backup_reader", groups="base.group_erp_manager")
        backup = self.Backup.create({"folder": self.folder})
        with self.assertRaises(AccessError):
            backup.with_user(reader).action_backup()
