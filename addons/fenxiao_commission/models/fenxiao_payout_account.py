import base64
import hashlib
import re

from cryptography.fernet import Fernet, InvalidToken

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import config

PAYOUT_METHODS = [
    ("wechat", "WeChat Wallet"),
    ("alipay", "Alipay"),
    ("bank", "Bank Card"),
]
# odoo.conf option holding the secret that encrypts account numbers
KEY_OPTION = "fenxiao_encryption_key"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[a-zA-Z]{2,}$")
BANK_CARD_RE = re.compile(r"^\d{12,19}$")
# payout accounts a distributor may keep at once (the portal's limit)
MAX_PORTAL_ACCOUNTS = 5


class FenxiaoPayoutAccount(models.Model):
    """Where a distributor's withdrawals are paid to.

    The account number (bank card, Alipay account or WeChat openid) is
    encrypted at rest with the server's ``fenxiao_encryption_key``; screens
    show it masked. Changing it means adding a new account and archiving the
    old one, so past withdrawals keep the account they were paid to.
    """

    _name = "fenxiao.payout.account"
    _description = "Payout Account"
    _order = "distributor_id, id desc"

    distributor_id = fields.Many2one(
        "fenxiao.distributor", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="distributor_id.company_id", store=True)
    active = fields.Boolean(default=True)
    method = fields.Selection(PAYOUT_METHODS, required=True, default="wechat")
    holder_name = fields.Char(
        string="Account Holder",
        required=True,
        help="The real name on the account: banks and Alipay check it.",
    )
    bank_name = fields.Char(string="Bank", help="e.g. 中国工商银行 杭州分行")
    account_number = fields.Char(
        compute="_compute_account_number",
        inverse="_inverse_account_number",
        help="Bank card number, Alipay account or WeChat openid. Stored encrypted.",
    )
    account_number_encrypted = fields.Char(readonly=True, groups="base.group_system")
    account_number_masked = fields.Char(string="Account", readonly=True)

    @api.depends("account_number_masked")
    def _compute_account_number(self):
        # The clear number is never read back into a form: it is only
        # decrypted for the payout itself (_get_account_number).
        for account in self:
            account.account_number = False

    @api.model
    def _clean_account_number(self, method, number, strict=False):
        """``number`` as it is stored for ``method``, or ValidationError saying why not.

        A bank card has 12 to 19 digits (spaces dropped). ``strict`` (what a
        distributor types in the portal) also wants an Alipay account to be a
        mobile number or an e-mail address; the back office may enter any
        account of up to 64 characters.
        """
        number = (number or "").strip()
        if method == "bank":
            number = re.sub(r"\s", "", number)
            if not BANK_CARD_RE.match(number):
                raise ValidationError(self.env._("A bank card number has 12 to 19 digits."))
        elif strict and method == "alipay":
            number = re.sub(r"\s", "", number)
            if not (MOBILE_RE.match(number) or EMAIL_RE.match(number)):
                raise ValidationError(
                    self.env._("An Alipay account is a mobile number or an e-mail address.")
                )
        elif len(number) > 64:
            raise ValidationError(self.env._("This account is too long."))
        return number

    @api.model
    def _portal_add(self, distributor, method, holder_name, bank_name, account_number):
        """A payout account that ``distributor`` adds in the distributor centre:
        Alipay or a bank card in their real name, at most MAX_PORTAL_ACCOUNTS
        at a time. ValidationError says what to correct."""
        holder_name = (holder_name or "").strip()
        bank_name = (bank_name or "").strip()
        if method not in ("alipay", "bank"):
            raise ValidationError(self.env._("Choose Alipay or a bank card."))
        if not holder_name or len(holder_name) > 30:
            raise ValidationError(
                self.env._("Enter the real name on the account (at most 30 characters).")
            )
        number = self._clean_account_number(method, account_number, strict=True)
        if method == "bank" and not 2 <= len(bank_name) <= 60:
            raise ValidationError(
                self.env._("Enter the bank and branch, e.g. 中国工商银行 杭州分行.")
            )
        if self.search_count([("distributor_id", "=", distributor.id)]) >= MAX_PORTAL_ACCOUNTS:
            raise ValidationError(
                self.env._(
                    "You can keep at most %(count)s payout accounts: remove one first.",
                    count=MAX_PORTAL_ACCOUNTS,
                )
            )
        return self.create(
            {
                "distributor_id": distributor.id,
                "method": method,
                "holder_name": holder_name,
                "bank_name": bank_name if method == "bank" else False,
                "account_number": number,
            }
        )

    def _inverse_account_number(self):
        for account in self:
            if not (account.account_number or "").strip():
                continue
            number = self._clean_account_number(account.method, account.account_number)
            account.sudo().write(
                {
                    "account_number_encrypted": self._fernet().encrypt(number.encode()).decode(),
                    "account_number_masked": self._mask(number),
                }
            )
        # forget the clear number as soon as it is stored
        self.invalidate_recordset(["account_number"])

    @api.model
    def _fernet(self):
        secret = config.get(KEY_OPTION)
        if not secret:
            raise UserError(
                self.env._(
                    "The server has no %s in its configuration: account numbers cannot be "
                    "stored or read. Ask your administrator to set one.",
                    KEY_OPTION,
                )
            )
        # Any passphrase works: Fernet wants 32 url-safe base64 bytes.
        return Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()))

    @staticmethod
    def _mask(number):
        if "@" in number:  # an Alipay e-mail login
            name, domain = number.split("@", 1)
            return f"{name[:2]}***@{domain}"
        if len(number) <= 4:
            return "*" * len(number)
        if len(number) > 19:  # a WeChat openid, not a card
            return f"{number[:4]}…{number[-4:]}"
        visible = 3 if len(number) == 11 else 0  # a mobile number: 138****5678
        return number[:visible] + "*" * (len(number) - visible - 4) + number[-4:]

    def _get_account_number(self):
        """The clear account number, for the payout gateway only."""
        self.ensure_one()
        token = self.sudo().account_number_encrypted
        if not token:
            return False
        try:
            return self._fernet().decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise UserError(
                self.env._(
                    "This account number was encrypted with another key: ask the distributor "
                    "to enter it again."
                )
            ) from error

    @api.depends("method", "holder_name", "account_number_masked", "bank_name")
    def _compute_display_name(self):
        methods = dict(self._fields["method"]._description_selection(self.env))
        for account in self:
            parts = [methods.get(account.method), account.bank_name, account.account_number_masked]
            account.display_name = " · ".join(part for part in parts if part)
