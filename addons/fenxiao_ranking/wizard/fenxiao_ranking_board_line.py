from odoo import fields, models


class FenxiaoRankingBoardLine(models.TransientModel):
    _name = "fenxiao.ranking.board.line"
    _description = "Distributor Ranking Line"
    _order = "rank"

    board_id = fields.Many2one("fenxiao.ranking.board", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="board_id.currency_id")
    rank = fields.Integer(readonly=True)
    distributor_id = fields.Many2one("fenxiao.distributor", required=True, readonly=True)
    tier_id = fields.Many2one(related="distributor_id.tier_id")
    amount = fields.Monetary(readonly=True)
    customer_count = fields.Integer(string="New Customers", readonly=True)

    def action_open_distributor(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "fenxiao.distributor",
            "res_id": self.distributor_id.id,
            "view_mode": "form",
        }
