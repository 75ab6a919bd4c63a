from odoo import api, fields, models

from .fenxiao_withdrawal import PENDING_STATES


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

    @api.depends("commission_line_ids.amount", "commission_line_ids.state", "withdrawal_ids.state")
    def _compute_commission_balances(self):
        balances = self._fenxiao_balances()
        for distributor in self:
            balance = balances[distributor]
            distributor.commission_frozen = balance["frozen"]
            distributor.commission_available = balance["available"]
            distributor.commission_payable = balance["payable"]
            distributor.withdrawal_pending = balance["pending"]
            distributor.withdrawable_balance = balance["withdrawable"]

    def _fenxiao_balances(self):
        """{distributor: {frozen, available, payable, pending, withdrawable}}.

        Three grouped queries for the whole recordset. The payable comes from
        the posted journal items of the commission payable account, not from a
        counter of our own.
        """
        self.env.flush_all()
        result = {
            distributor: dict.fromkeys(
                ("frozen", "available", "payable", "pending", "withdrawable"), 0.0
            )
            for distributor in self
        }
        if not self.ids:
            return result
        ledger = (
            self.env["fenxiao.commission.line"]
            .sudo()
            ._read_group(
                [("distributor_id", "in", self.ids), ("state", "in", ("frozen", "available"))],
                ["distributor_id", "state"],
                ["amount:sum"],
            )
        )
        for distributor, state, amount in ledger:
            result[distributor][state] = amount
        by_partner = {distributor.partner_id: distributor for distributor in self}
        accounts = self.company_id.fenxiao_commission_payable_account_id
        if accounts:
            payable = (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("account_id", "in", accounts.ids),
                        ("partner_id", "in", self.partner_id.ids),
                        ("parent_state", "=", "posted"),
                    ],
                    ["partner_id", "company_id"],
                    ["balance:sum"],
                )
            )
            for partner, company, balance in payable:
                distributor = by_partner[partner]
                if distributor.company_id == company:
                    result[distributor]["payable"] = -balance
        pending = (
            self.env["fenxiao.withdrawal"]
            .sudo()
            ._read_group(
                [("distributor_id", "in", self.ids), ("state", "in", PENDING_STATES)],
                ["distributor_id"],
                ["amount:sum"],
            )
        )
        for distributor, amount in pending:
            result[distributor]["pending"] = amount
        for distributor, balance in result.items():
            currency = distributor.currency_id
            balance["withdrawable"] = currency.round(balance["payable"] - balance["pending"])
        return result

    def _fenxiao_lock(self):
        """Serialise everything that spends this distributor's balance.

        An UPDATE rather than SELECT ... FOR UPDATE: under Odoo's REPEATABLE
        READ isolation a transaction that waited for the lock would otherwise go
        on with a snapshot that misses what the first one wrote. With the
        update it fails on serialisation instead, and Odoo retries it with
        fresh data.
        """
        self.env.cr.execute(
            "UPDATE fenxiao_distributor SET write_date = write_date WHERE id = ANY(%s)",
            [self.ids],
        )

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
