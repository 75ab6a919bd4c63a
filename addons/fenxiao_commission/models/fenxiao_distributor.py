from odoo import api, fields, models


class FenxiaoDistributor(models.Model):
    _inherit = "fenxiao.distributor"

    commission_line_ids = fields.One2many(
        "fenxiao.commission.line", "distributor_id", string="Commission"
    )
    payout_account_ids = fields.One2many(
        "fenxiao.payout.account", "distributor_id", string="Payout Accounts"
    )
    withdrawal_ids = fields.One2many("fenxiao.withdrawal", "distributor_id", string="Withdrawals")
    commission_frozen = fields.Monetary(
        string="Frozen",
        compute="_compute_commission_balances",
        help="Waiting for the after-sales window to pass.",
    )
    commission_available = fields.Monetary(
        string="To Settle",
        compute="_compute_commission_balances",
        help="Available, settled at the next settlement run.",
    )
    commission_held = fields.Monetary(
        string="Under Review",
        compute="_compute_commission_balances",
        help="Held for review (suspected brushing): settled once a Distribution Administrator "
        "lifts the hold.",
    )
    commission_payable = fields.Monetary(
        string="Payable",
        compute="_compute_commission_balances",
        help="Settled and not yet paid out: the distributor's balance in the accounting.",
    )
    withdrawal_pending = fields.Monetary(
        string="Withdrawals Pending", compute="_compute_commission_balances"
    )
    withdrawable_balance = fields.Monetary(
        string="Withdrawable",
        compute="_compute_commission_balances",
        help="Payable minus the withdrawals still pending. Negative when refunds were clawed "
        "back after a payout: future commission pays it off first.",
    )

    @api.depends(
        "commission_line_ids.amount",
        "commission_line_ids.state",
        "commission_line_ids.held",
        "withdrawal_ids.state",
    )
    def _compute_commission_balances(self):
        balances = self.env["fenxiao.withdrawal"]._balances(self)
        for distributor in self:
            balance = balances[distributor]
            distributor.commission_frozen = balance["frozen"]
            distributor.commission_available = balance["available"]
            distributor.commission_held = balance["held"]
            distributor.commission_payable = balance["payable"]
            distributor.withdrawal_pending = balance["pending"]
            distributor.withdrawable_balance = balance["withdrawable"]

    def _set_state(self, state, reason):
        """A disqualified distributor keeps what the company's setting says:
        with "only what is available" their frozen commission is reversed
        (negative ledger lines, never an amount edited)."""
        disqualified = self.filtered(lambda d: d.state != "disqualified")
        result = super()._set_state(state, reason)
        if state == "disqualified":
            lines = (
                self.env["fenxiao.commission.line"]
                .sudo()
                .search(
                    [
                        ("distributor_id", "in", disqualified.ids),
                        ("kind", "=", "commission"),
                        ("state", "=", "frozen"),
                        ("company_id.fenxiao_disqualified_keeps", "=", "available"),
                    ]
                )
            )
            lines._reverse_lines("disqualified", reason)
        return result

    def action_view_commission(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "fenxiao_commission.action_fenxiao_commission_line"
        )
        action["domain"] = [("distributor_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 1}
        return action

    def action_view_withdrawals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "fenxiao_commission.action_fenxiao_withdrawal"
        )
        action["domain"] = [("distributor_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_open_statement(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Distributor Statement"),
            "res_model": "fenxiao.commission.statement",
            "view_mode": "form",
            "target": "new",
            "context": {"default_distributor_ids": self.ids},
        }
