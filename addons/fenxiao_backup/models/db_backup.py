# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.service import db as service_db

from odoo.addons.auto_backup.models import db_backup as auto_backup_module

from .. import tools

# A merchant is warned in the settings when the newest successful backup is
# older than this: one missed night is tolerated, two are not.
STALE_AFTER = timedelta(days=2)

_backup_running = threading.local()


class _ServiceDb:
    """``odoo.service.db`` as auto_backup's module sees it (it calls ``db.dump_db``).

    While fenxiao_backup runs a backup (a flag of this thread), ``dump_db`` is
    the one of ``tools``, which works with the database manager off. Any other
    call, e.g. auto_backup in another database of the same server without this
    module, gets Odoo's own function: nothing changes there.
    """

    def __getattr__(self, name):
        return getattr(service_db, name)

    @staticmethod
    def dump_db(*args, **kwargs):
        if getattr(_backup_running, "active", False):
            return tools.dump_db(*args, **kwargs)
        return service_db.dump_db(*args, **kwargs)


auto_backup_module.db = _ServiceDb()


class DbBackup(models.Model):
    _name = "db.backup"
    _inherit = ["db.backup", "mail.activity.mixin"]

    # auto_backup keeps every backup forever (0); two weeks is what a shop
    # wants by default: a fortnight to notice a mistake, a bounded disk.
    days_to_keep = fields.Integer(default=14)
    responsible_id = fields.Many2one(
        "res.users",
        string="Notify on failure",
        default=lambda self: self._default_responsible(),
        domain=[("share", "=", False)],
        help="Gets a to-do when a backup of this configuration fails.",
    )
    last_success_date = fields.Datetime("Last successful backup", readonly=True, copy=False)
    last_failure_date = fields.Datetime("Last failed backup", readonly=True, copy=False)

    @api.model
    def _default_responsible(self):
        """The user who configures the backup, or the administrator when it is
        the system (data files, the cron)."""
        user = self.env.user
        if user._is_superuser() or not user._is_internal():
            return self.env.ref("base.user_admin", raise_if_not_found=False)
        return user

    def action_backup(self):
        """Run the backups, also when the database manager is off (see tools)."""
        # The method is public (a button, and reachable by RPC): auto_backup
        # lets Access Rights managers read the configurations, only
        # administrators may write files on the server with them.
        if not self.env.is_system():
            raise AccessError(self.env._("Only an administrator can run a backup."))
        _backup_running.active = True
        try:
            return super().action_backup()
        finally:
            _backup_running.active = False

    @contextmanager
    def backup_log(self):
        """auto_backup's log (a message on the configuration; a failure is
        swallowed so the other configurations still run), plus the date of the
        last success, and a to-do for the responsible on failure."""
        error = None
        with super().backup_log():
            try:
                yield
            except Exception as exc:
                error = exc
                raise
        if error is None:
            self.last_success_date = fields.Datetime.now()
        else:
            self._notify_failure(error)

    def _notify_failure(self, error):
        """A to-do (activity "Exception") for the responsible, one open at a
        time: a backup failing every night does not pile up to-dos."""
        self.ensure_one()
        self.last_failure_date = fields.Datetime.now()
        user = self.responsible_id or self._default_responsible()
        if not user:
            return
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        if self.activity_ids.filtered(
            lambda act: act.activity_type_id == activity_type and act.user_id == user
        ):
            return
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            user_id=user.id,
            summary=self.env._("Backup failed"),
            note=self.env._(
                "The backup %(name)s failed: %(error)s. The chatter of the "
                "backup configuration has the details. Fix the cause, then run "
                "the backup again (Execute backup).",
                name=self.name,
                error=str(error) or type(error).__name__,
            ),
        )

    @api.model
    def _get_freshness(self):
        """The newest successful backup of all configurations, and its state:
        ``none`` (nothing configured), ``never`` (configured, never succeeded),
        ``stale`` (older than STALE_AFTER) or ``ok``."""
        backups = self.search([])
        if not backups:
            return False, "none"
        dates = [date for date in backups.mapped("last_success_date") if date]
        if not dates:
            return False, "never"
        last = max(dates)
        if last < fields.Datetime.now() - STALE_AFTER:
            return last, "stale"
        return last, "ok"
