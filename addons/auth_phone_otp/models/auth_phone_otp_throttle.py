from datetime import timedelta

from odoo import api, fields, models


class AuthPhoneOtpThrottle(models.Model):
    """One row per number and per address that was sent a code.

    Sending a code writes the rows of its number and address in the request's
    transaction. Two requests at once about one number (or from one address)
    thus write the same row: the second waits for the first, then fails to
    serialize and is run again by Odoo (``odoo.service.model.retrying``) with a
    snapshot that sees the first one's code, so that the limits count it. A
    lock alone would not do: after the wait, a REPEATABLE READ transaction
    still reads what was committed before it started.
    """

    _name = "auth.phone.otp.throttle"
    _description = "SMS Sign-in Throttle"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    touched_at = fields.Datetime(required=True, readonly=True)

    _sql_constraints = [("key_uniq", "unique (key)", "One row per number or address.")]

    @api.model
    def _touch(self, keys):
        """Write the rows of ``keys`` (made if new), in a fixed order."""
        self.env.cr.execute(
            """
            INSERT INTO auth_phone_otp_throttle (key, touched_at)
            SELECT key, %s FROM unnest(%s::varchar[]) AS key
             ORDER BY key
            ON CONFLICT (key) DO UPDATE SET touched_at = EXCLUDED.touched_at
            """,
            [fields.Datetime.now(), sorted(keys)],
        )

    @api.autovacuum
    def _gc_old_rows(self):
        """The limits look an hour back: a day-old row serves nobody."""
        self.env.cr.execute(
            "DELETE FROM auth_phone_otp_throttle WHERE touched_at < %s",
            [fields.Datetime.now() - timedelta(days=1)],
        )
