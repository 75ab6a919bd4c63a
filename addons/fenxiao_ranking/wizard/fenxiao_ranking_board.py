from odoo import api, fields, models

TOP = 100


class FenxiaoRankingBoard(models.TransientModel):
    """排行榜 in the back office: the top distributors of a week or a month,
    with their real names, for the distribution team."""

    _name = "fenxiao.ranking.board"
    _description = "Distributor Ranking"

    period_kind = fields.Selection(
        [("week", "Week (Monday to Sunday)"), ("month", "Month")],
        string="Period",
        required=True,
        default="month",
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="Any day of the week or month to rank.",
    )
    metric = fields.Selection(
        [
            ("sales", "Sales"),
            ("team_sales", "Team Sales"),
            ("new_customers", "New Paying Customers"),
        ],
        string="Rank By",
        required=True,
        default="sales",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    ranked_count = fields.Integer(string="Distributors Ranked", readonly=True)
    line_ids = fields.One2many("fenxiao.ranking.board.line", "board_id", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        boards = super().create(vals_list)
        boards._compute_lines()
        return boards

    def write(self, vals):
        result = super().write(vals)
        if {"period_kind", "date", "metric", "company_id"} & set(vals):
            self._compute_lines()
        return result

    def _compute_lines(self):
        for board in self:
            result = self.env["fenxiao.distributor"]._fenxiao_leaderboard(
                board.company_id, board.metric, board.period_kind, board.date, limit=TOP
            )
            money = board.metric != "new_customers"
            # none of the board's parameters: write() does not come back here
            board.write(
                {
                    "date_from": result["date_from"],
                    "date_to": result["date_to"],
                    "ranked_count": result["total"],
                    "line_ids": [fields.Command.clear()]
                    + [
                        fields.Command.create(
                            {
                                "rank": row["rank"],
                                "distributor_id": row["distributor"].id,
                                "amount": row["value"] if money else 0.0,
                                "customer_count": 0 if money else row["value"],
                            }
                        )
                        for row in result["rows"]
                    ],
                }
            )

    def action_refresh(self):
        self._compute_lines()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": self.env.context,
        }
