from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    fenxiao_commission_self_purchase = fields.Boolean(
        string="Commission on Own Purchases",
        default=True,
        help="A distributor earns the level-1 commission on what they buy themselves (自购返佣). "
        "Otherwise their upline is level 1.",
    )
    fenxiao_commission_inactive_upline = fields.Selection(
        [
            ("skip", "Skip them: nobody earns their level"),
            ("compress", "Pass their share up (压缩)"),
        ],
        string="Suspended Uplines",
        default="skip",
        required=True,
    )
    fenxiao_disqualified_keeps = fields.Selection(
        [
            ("all", "Everything earned"),
            ("available", "Only what is available"),
        ],
        string="Disqualified Distributors Keep",
        default="all",
        required=True,
        help="Everything earned: frozen and available commission stay theirs and are settled "
        "as usual. Only what is available: their frozen commission is reversed when they are "
        "disqualified.",
    )
    fenxiao_commission_base_tax = fields.Selection(
        [("excluded", "Without taxes"), ("included", "With taxes")],
        string="Commission Base",
        default="excluded",
        required=True,
        help="Whether commission is computed on what the customer paid for the goods with or "
        "without VAT. Shipping never counts.",
    )
    fenxiao_commission_freeze_days = fields.Integer(
        string="After-sales Window (days)",
        default=7,
        help="Commission stays frozen until this many days after delivery.",
    )
    fenxiao_settlement_period = fields.Selection(
        [("weekly", "Weekly (Monday to Sunday)"), ("monthly", "Monthly")],
        string="Settlement",
        default="weekly",
        required=True,
    )
    fenxiao_withdrawal_min_amount = fields.Monetary(
        string="Minimum Withdrawal", currency_field="currency_id", default=10.0
    )
    fenxiao_withdrawal_fee_type = fields.Selection(
        [("percent", "Percentage"), ("fixed", "Fixed amount")],
        string="Withdrawal Fee",
        default="percent",
        required=True,
    )
    fenxiao_withdrawal_fee_percent = fields.Float(string="Fee (%)", digits=(16, 2))
    fenxiao_withdrawal_fee_fixed = fields.Monetary(
        string="Fee Amount", currency_field="currency_id"
    )
    fenxiao_commission_journal_id = fields.Many2one(
        "account.journal",
        string="Commission Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
    )
    fenxiao_payout_journal_id = fields.Many2one(
        "account.journal",
        string="Payout Journal",
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', id)]",
        help="The bank or cash journal withdrawals are paid from.",
    )
    fenxiao_commission_payable_account_id = fields.Many2one(
        "account.account",
        string="Commission Payable Account",
        domain="[('account_type', '=', 'liability_payable')]",
    )
    fenxiao_commission_expense_account_id = fields.Many2one(
        "account.account",
        string="Commission Expense Account",
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost'))]",
    )
    fenxiao_withdrawal_fee_account_id = fields.Many2one(
        "account.account",
        string="Withdrawal Fee Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
    )
    # Commission paid to a private person is 劳务报酬 (remuneration for
    # services): the payer withholds the individual income tax's prepayment
    # (个人所得税预扣预缴) and declares it each month.
    fenxiao_withhold_income_tax = fields.Boolean(
        string="Withhold Individual Income Tax",
        help="Withhold the prepayment of individual income tax on labour remuneration "
        "(劳务报酬) from each withdrawal of a private person.",
    )
    fenxiao_income_tax_account_id = fields.Many2one(
        "account.account",
        string="Income Tax Withheld Account",
        domain="[('account_type', '=', 'liability_current')]",
        help="The tax payable the withheld tax is booked to (应交税费—应交个人所得税).",
    )

    @api.constrains(
        "fenxiao_commission_freeze_days",
        "fenxiao_withdrawal_min_amount",
        "fenxiao_withdrawal_fee_percent",
        "fenxiao_withdrawal_fee_fixed",
    )
    def _check_fenxiao_commission_settings(self):
        for company in self:
            if (
                company.fenxiao_commission_freeze_days < 0
                or company.fenxiao_withdrawal_min_amount < 0
                or company.fenxiao_withdrawal_fee_fixed < 0
                or not 0 <= company.fenxiao_withdrawal_fee_percent < 100
            ):
                raise ValidationError(
                    self.env._(
                        "Days, minimum and fees cannot be negative, and a percentage fee must "
                        "be below 100%."
                    )
                )

    def _fenxiao_default_accounts(self):
        # Codes that fit the Chinese charts (小企业/企业会计准则): sub-accounts of
        # 2241 其他应付款, 6601 销售费用 and 6051 其他业务收入.
        return {
            "fenxiao_commission_payable_account_id": (
                "224105",
                self.env._("Distributor Commission Payable"),
                "liability_payable",
                True,
            ),
            "fenxiao_commission_expense_account_id": (
                "660105",
                self.env._("Distribution Commission Expense"),
                "expense",
                False,
            ),
            "fenxiao_withdrawal_fee_account_id": (
                "605105",
                self.env._("Withdrawal Fee Income"),
                "income_other",
                False,
            ),
            # 2221 应交税费
            "fenxiao_income_tax_account_id": (
                "222112",
                self.env._("Individual Income Tax Withheld"),
                "liability_current",
                False,
            ),
        }

    def _fenxiao_commission_setup_accounting(self):
        """Create the commission journal and accounts where a company has none.

        Only companies with a chart of accounts: the others get theirs when a
        chart is loaded (see account.chart.template).
        """
        for company in self.filtered("chart_template"):
            Account = self.env["account.account"].sudo().with_company(company)
            Journal = self.env["account.journal"].sudo().with_company(company)
            # Names in every installed language: accounts and journals are
            # translatable, and the accountant may work in Chinese or English.
            langs = [code for code, _name in self.env["res.lang"].get_installed()]
            defaults = {
                lang: self.with_context(lang=lang)._fenxiao_default_accounts() for lang in langs
            }
            english = self.with_context(lang="en_US")._fenxiao_default_accounts()
            vals = {}
            for field_name, (code, name, account_type, reconcile) in english.items():
                if company[field_name]:
                    continue
                account = Account.search(
                    [*Account._check_company_domain(company), ("code", "=", code)], limit=1
                )
                if not account:
                    account = Account.with_context(lang="en_US").create(
                        {
                            "code": code,
                            "name": name,
                            "account_type": account_type,
                            "reconcile": reconcile,
                        }
                    )
                    account.update_field_translations(
                        "name", {lang: names[field_name][1] for lang, names in defaults.items()}
                    )
                vals[field_name] = account.id
            if not company.fenxiao_commission_journal_id:
                journal = Journal.search(
                    [*Journal._check_company_domain(company), ("code", "=", "COMM")], limit=1
                )
                if not journal:
                    journal = Journal.with_context(lang="en_US").create(
                        {
                            "name": "Distribution Commission",
                            "code": "COMM",
                            "type": "general",
                            "company_id": company.id,
                            "show_on_dashboard": False,
                        }
                    )
                    journal.update_field_translations(
                        "name",
                        {
                            lang: self.with_context(lang=lang).env._("Distribution Commission")
                            for lang in langs
                        },
                    )
                vals["fenxiao_commission_journal_id"] = journal.id
            if not company.fenxiao_payout_journal_id:
                bank = (
                    self.env["account.journal"]
                    .sudo()
                    .search([("company_id", "=", company.id), ("type", "=", "bank")], limit=1)
                )
                vals["fenxiao_payout_journal_id"] = bank.id
            if vals:
                company.sudo().write(vals)

    # ------------------------------------------------------------------
    # Settlement periods
    # ------------------------------------------------------------------
    def _fenxiao_settlement_period(self, day):
        """The settlement period (first day, last day) that contains ``day``."""
        self.ensure_one()
        if self.fenxiao_settlement_period == "monthly":
            first = day.replace(day=1)
            return first, first + relativedelta(months=1, days=-1)
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)

    def _fenxiao_tz(self):
        """The company's time zone: its address's, else China's."""
        self.ensure_one()
        return pytz.timezone(self.partner_id.tz or "Asia/Shanghai")

    def _fenxiao_today(self):
        """Today in the company's time zone.

        Periods end at midnight where the business is, whoever runs the
        settlement (a scheduled action runs without a person's time zone).
        """
        self.ensure_one()
        return datetime.now(self._fenxiao_tz()).date()

    def _fenxiao_day_start_utc(self, day):
        """Midnight at the start of ``day`` where the business is, as the
        naive UTC datetime Odoo stores."""
        self.ensure_one()
        local = self._fenxiao_tz().localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _fenxiao_last_closed_period(self, today=None):
        """The most recent period that has fully ended before ``today``."""
        self.ensure_one()
        today = today or self._fenxiao_today()
        first, _last = self._fenxiao_settlement_period(today)
        return self._fenxiao_settlement_period(first - timedelta(days=1))
