from markupsafe import Markup

from odoo import models
from odoo.exceptions import AccessError

MANAGER_GROUP = "fenxiao.group_fenxiao_manager"


class FenxiaoCommissionLine(models.Model):
    """Holding ledger lines for review.

    A hold is a flag beside the lifecycle, not a state: a held line still goes
    frozen → available, but settlement leaves it out until a Distribution
    Administrator lifts the hold. Like the release and settlement runs, holding
    and lifting change the open lines in one statement and never touch amounts,
    so the ledger stays append-only; settled lines are history and cannot be held.
    Each change is written in the distributor's chatter.
    """

    _inherit = "fenxiao.commission.line"

    def _put_on_hold(self, reason):
        """Hold the open lines of ``self``; returns those newly held."""
        held = self._sql_set_held(True)
        held._log_hold(self.env._("Commission held for review: %s", reason))
        return held

    def _lift_hold(self):
        """Lift the hold of ``self`` (a Distribution Administrator's decision)."""
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(
                self.env._("Only a Distribution Administrator can lift a commission hold.")
            )
        lifted = self._sql_set_held(False)
        lifted._log_hold(
            self.env._(
                "Hold lifted by %s: the commission goes to the next settlement.", self.env.user.name
            )
        )
        return lifted

    def action_lift_hold(self):
        self._lift_hold()
        return True

    def _sql_set_held(self, held):
        if not self:
            return self.browse()
        self.flush_recordset(["held", "state"])
        self.env.cr.execute(
            """
            UPDATE fenxiao_commission_line
               SET held = %s, write_uid = %s, write_date = now() at time zone 'UTC'
             WHERE id = ANY(%s) AND state != 'settled' AND held IS DISTINCT FROM %s
         RETURNING id
            """,
            [held, self.env.uid, self.ids, held],
        )
        changed = self.browse(row[0] for row in self.env.cr.fetchall())
        self.invalidate_recordset(["held", "write_uid", "write_date"])
        return changed

    def _log_hold(self, message):
        """Say in each distributor's chatter which of their orders it concerns."""
        lines = self.sudo()
        for distributor in lines.distributor_id:
            orders = lines.filtered(lambda line, d=distributor: line.distributor_id == d).order_id
            distributor.message_post(
                body=Markup("%s<br/>%s") % (message, ", ".join(orders.mapped("name"))),
                subtype_xmlid="mail.mt_note",
            )
