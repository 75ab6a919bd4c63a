from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fenxiao_commission_self_purchase = fields.Boolean(
        related="company_id.fenxiao_commission_self_purchase", readonly=False
    )
    fenxiao_commission_inactive_upline = fields.Selection(
        related="company_id.fenxiao_commission_inactive_upline", readonly=False, required=True
    )
    fenxiao_disqualified_keeps = fields.Selection(
        related="company_id.fenxiao_disqualified_keeps", readonly=False, required=True
    )
    fenxiao_commission_base_tax = fields.Selection(
        related="company_id.fenxiao_commission_base_tax", readonly=False, required=True
    )
    fenxiao_commission_freeze_days = fields.Integer(
        related="company_id.fenxiao_commission_freeze_days", readonly=False
    )
    fenxiao_settlement_period = fields.Selection(
        related="company_id.fenxiao_settlement_period", readonly=False, required=True
    )
    fenxiao_withdrawal_min_amount = fields.Monetary(
        related="company_id.fenxiao_withdrawal_min_amount", readonly=False
    )
    fenxiao_withdrawal_fee_type = fields.Selection(
        related="company_id.fenxiao_withdrawal_fee_type", readonly=False, required=True
    )
    fenxiao_withdrawal_fee_percent = fields.Float(
        related="company_id.fenxiao_withdrawal_fee_percent", readonly=False
    )
    fenxiao_withdrawal_fee_fixed = fields.Monetary(
        related="company_id.fenxiao_withdrawal_fee_fixed", readonly=False
    )
    fenxiao_commission_journal_id = fields.Many2one(
        related="company_id.fenxiao_commission_journal_id", readonly=False
    )
    fenxiao_payout_journal_id = fields.Many2one(
        related="company_id.fenxiao_payout_journal_id", readonly=False
    )
    fenxiao_commission_payable_account_id = fields.Many2one(
        related="company_id.fenxiao_commission_payable_account_id", readonly=False
    )
    fenxiao_commission_expense_account_id = fields.Many2one(
        related="company_id.fenxiao_commission_expense_account_id", readonly=False
    )
    fenxiao_withdrawal_fee_account_id = fields.Many2one(
        related="company_id.fenxiao_withdrawal_fee_account_id", readonly=False
    )
    fenxiao_withhold_income_tax = fields.Boolean(
        related="company_id.fenxiao_withhold_income_tax", readonly=False
    )
    fenxiao_income_tax_account_id = fields.Many2one(
        related="company_id.fenxiao_income_tax_account_id", readonly=False
    )
