import hashlib
import hmac
import logging

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import config

from odoo.addons.fenxiao_commission.models.fenxiao_payout_account import KEY_OPTION

_logger = logging.getLogger(__name__)


class FenxiaoPayoutAccount(models.Model):
    _inherit = "fenxiao.payout.account"

    # Numbers are encrypted with a random nonce, so two encryptions of one
    # number differ: the fingerprint is what tells two accounts are the same.
    # Keyed (HMAC), because a card number is too short to survive a plain
    # hash being guessed back.
    account_fingerprint = fields.Char(
        readonly=True, copy=False, index="btree_not_null", groups="base.group_system"
    )

    def _inverse_account_number(self):
        result = super()._inverse_account_number()
        self._fenxiao_set_fingerprint()
        return result

    def _fenxiao_set_fingerprint(self):
        for account in self.sudo():
            try:
                number = account._get_account_number()
            except UserError:  # no key on this server, or another key's number
                _logger.warning("Payout account %s cannot be fingerprinted", account.id)
                continue
            fingerprint = self._fenxiao_fingerprint(account.method, number) if number else False
            if account.account_fingerprint != fingerprint:
                account.account_fingerprint = fingerprint

    @staticmethod
    def _fenxiao_fingerprint(method, number):
        secret = config.get(KEY_OPTION).encode()
        key = hashlib.sha256(b"fenxiao payout fingerprint\0" + secret).digest()
        return hmac.new(key, f"{method}:{number}".encode(), hashlib.sha256).hexdigest()
