from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        for picking in self.filtered(lambda picking: picking.location_id.usage == "customer"):
            returns = picking.move_ids.filtered(
                lambda move: move.origin_returned_move_id and move.state == "done"
            )
            self.env["fenxiao.commission.line"]._reverse(
                returns.sale_line_id.order_id, "return", origin=picking.name
            )
        return result

    def _fenxiao_after_sales_start(self):
        """{picking: when its after-sales window starts, or None while it
        cannot start yet}, for the whole set.

        Here the window starts when the goods leave (``date_done``);
        ``fenxiao_logistics`` starts it when a tracked parcel is received.
        """
        return {picking: picking.date_done or None for picking in self}
