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
