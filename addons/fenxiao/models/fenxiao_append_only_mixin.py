from odoo import api, models
from odoo.exceptions import UserError


class FenxiaoAppendOnlyMixin(models.AbstractModel):
    """Records that are history: created once, never changed or deleted.

    Corrections are new records (a rebinding, a reversal), so what happened
    stays explainable. Uninstalling the module still removes them.
    """

    _name = "fenxiao.append.only.mixin"
    _description = "Append-only History"

    def write(self, vals):
        if vals:
            raise UserError(self.env._("%s is a history: it cannot be changed.", self._description))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("%s is a history: it cannot be deleted.", self._description))
