from odoo import fields, models, tools

from .. import const


class FenxiaoParcelEvent(models.Model):
    """One line of a parcel's history, as Kuaidi100 reported it.

    Written only by ``stock.picking._parcel_store_events`` (INSERT ... ON
    CONFLICT DO NOTHING), so that repeated or out-of-order pushes store each
    event once: the database's unique index decides.
    """

    _name = "fenxiao.parcel.event"
    _description = "Parcel Tracking Event"
    _order = "event_time desc, id desc"

    picking_id = fields.Many2one(
        "stock.picking", required=True, ondelete="cascade", index=True, readonly=True
    )
    event_time = fields.Datetime(required=True, readonly=True)
    context = fields.Text(string="Description", required=True, readonly=True)
    location = fields.Char(readonly=True)
    state = fields.Selection(const.PARCEL_STATES, readonly=True)
    status_code = fields.Char(string="Kuaidi100 Status Code", readonly=True)

    def init(self):
        tools.create_unique_index(
            self.env.cr,
            "fenxiao_parcel_event_unique_idx",
            self._table,
            ["picking_id", "event_time", "md5(context)"],
        )
