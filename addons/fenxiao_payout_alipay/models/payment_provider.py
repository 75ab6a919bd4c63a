import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_repr

from odoo.addons.payment_alipay.models.payment_provider import AlipayRefused

from .fenxiao_withdrawal import transfer_outcome

_logger = logging.getLogger(__name__)

TRANSFER_METHOD = "alipay.fund.trans.uni.transfer"
QUERY_METHOD = "alipay.fund.trans.common.query"
# 单笔转账到支付宝账户, without the payer's password: what a merchant's app is
# approved for
PRODUCT_CODE = "TRANS_ACCOUNT_NO_PWD"
BIZ_SCENE = "DIRECT_TRANSFER"
# Answers that do not say whether the money left: Alipay asks to query, or to
# send the same out_biz_no again.
UNKNOWN_RESULT_CODES = ("SYSTEM_ERROR", "isp.unknow-error", "aop.SYSTEM_ERROR")
# a query's answer for a transfer that never reached Alipay
ORDER_NOT_EXIST = "ORDER_NOT_EXIST"


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    alipay_transfer_enabled = fields.Boolean(
        string="Pay Withdrawals to Alipay",
        help="Approved withdrawals to an Alipay account are sent with 单笔转账 "
        "(alipay.fund.trans.uni.transfer) from the merchant's Alipay balance. Alipay serves "
        "transfers to an app in certificate mode (公钥证书) only.",
    )

    @api.constrains("alipay_transfer_enabled", "alipay_key_mode")
    def _check_alipay_transfer_key_mode(self):
        for provider in self.filtered("alipay_transfer_enabled"):
            provider._fenxiao_alipay_check_transfer_mode(ValidationError)

    def _fenxiao_alipay_check_transfer_mode(self, error=UserError):
        """Alipay refuses 单笔转账 to an app that signs with a public key
        (isv.insufficient-isv-permissions): say so before anything is sent."""
        self.ensure_one()
        if self.alipay_key_mode != "certificate":
            raise error(
                self.env._(
                    "Alipay pays withdrawals only to an app in certificate mode (公钥证书): set "
                    "the Key Mode of %(provider)s to Public Key Certificate, with the three "
                    "certificates from Alipay's open platform.",
                    provider=self.name,
                )
            )

    @api.model
    def _fenxiao_alipay_transfer_provider(self, company):
        return self.sudo().search(
            [
                ("code", "=", "alipay"),
                ("state", "in", ("enabled", "test")),
                ("company_id", "=", company.id),
                ("alipay_transfer_enabled", "=", True),
            ],
            limit=1,
        )

    def _alipay_refusal_reason(self, refused):
        """What a manager reads of Alipay's refusal: its reason in words for
        the usual ones, its code always."""
        reasons = {
            "PAYEE_NOT_EXIST": self.env._("The Alipay account does not exist."),
            "PAYEE_USER_INFO_ERROR": self.env._(
                "The holder name does not match the Alipay account."
            ),
            "PAYEE_ACCOUNT_STATUS_ERROR": self.env._(
                "The payee's Alipay account is frozen or closed."
            ),
            "PAYER_BALANCE_NOT_ENOUGH": self.env._(
                "The merchant's Alipay balance is not enough: top it up and request again."
            ),
            "PERMIT_CHECK_PERM_LIMITED": self.env._(
                "The merchant's Alipay app may not make transfers: sign 单笔转账 first."
            ),
            "isv.insufficient-isv-permissions": self.env._(
                "The merchant's Alipay app may not make transfers: it must sign in "
                "certificate mode (公钥证书), with 单笔转账 signed."
            ),
        }
        reason = reasons.get(refused.sub_code)
        if not reason:
            return str(refused.args[0] if refused.args else refused)
        return self.env._("Alipay: %(reason)s (%(code)s)", reason=reason, code=refused.sub_code)

    def _fenxiao_alipay_transfer(self, withdrawal):
        """Send one withdrawal to the distributor's Alipay account; the result
        as the payout interface wants it.

        The out_biz_no is the withdrawal's own reference, the same every time
        it is sent: Alipay pays it once, so a request sent again after a lost
        answer never pays twice. Only an answer signed by Alipay decides; no
        answer, a timeout or an answer without Alipay's signature leave the
        withdrawal paying, for the cron to ask."""
        self.ensure_one()
        self._fenxiao_alipay_check_transfer_mode()
        account = withdrawal.payout_account_id
        biz_no = withdrawal.alipay_out_biz_no or withdrawal._alipay_biz_no()
        withdrawal.sudo().write(
            {
                "alipay_out_biz_no": biz_no,
                "alipay_sent_date": fields.Datetime.now(),
                "alipay_send_count": withdrawal.sudo().alipay_send_count + 1,
            }
        )
        # the distributor reads them in Alipay: in their language
        payee_env = self.with_context(lang=withdrawal.partner_id.lang).env
        try:
            answer = self._alipay_call(
                "server_api",
                api_name=TRANSFER_METHOD,
                biz_content={
                    "out_biz_no": biz_no,
                    "trans_amount": float_repr(
                        withdrawal.currency_id.round(withdrawal.net_amount), 2
                    ),
                    "product_code": PRODUCT_CODE,
                    "biz_scene": BIZ_SCENE,
                    "order_title": payee_env._("Commission %s", withdrawal.name)[:128],
                    "payee_info": {
                        "identity": account._get_account_number(),
                        "identity_type": "ALIPAY_LOGON_ID",
                        # Alipay checks the real name against the account's
                        "name": account.holder_name,
                    },
                    "remark": payee_env._("Distribution commission")[:200],
                },
            )
        except AlipayRefused as refused:
            if refused.sub_code in UNKNOWN_RESULT_CODES:
                return {"state": "pending", "message": str(refused)}
            return {"state": "failed", "message": self._alipay_refusal_reason(refused)}
        except ValidationError as error:
            # no answer, or not Alipay's: the transfer may exist; the cron asks
            _logger.warning("Alipay: transfer %s without a trusted answer: %s", biz_no, error)
            return {"state": "pending", "message": str(error)}
        if answer.get("out_biz_no") not in (None, biz_no):
            return {"state": "pending", "message": self.env._("Alipay: the answer is not ours.")}
        status = withdrawal._alipay_known_status(answer.get("status"))
        withdrawal.sudo().alipay_transfer_status = status
        return {
            "state": transfer_outcome(status),
            "reference": answer.get("order_id"),
            "message": withdrawal._alipay_status_label(),
        }

    def _fenxiao_alipay_sync_transfer(self, withdrawal):
        """Ask Alipay where a transfer is, and apply it; send it again with
        the same out_biz_no when Alipay never received it."""
        self.ensure_one()
        withdrawal = withdrawal.with_env(self.env)
        order = self._fenxiao_alipay_query(withdrawal.alipay_out_biz_no)
        if order is None:
            withdrawal._alipay_apply_result(self._fenxiao_alipay_transfer(withdrawal))
            return
        if not self._fenxiao_alipay_check_order(withdrawal, order):
            return
        withdrawal._alipay_apply_result(self._fenxiao_alipay_order_result(withdrawal, order))

    def _fenxiao_alipay_query(self, biz_no):
        """Alipay's order of transfer ``biz_no``, or None when Alipay has
        none (ORDER_NOT_EXIST); any other refusal is raised."""
        try:
            return self._alipay_call(
                "server_api",
                api_name=QUERY_METHOD,
                biz_content={
                    "out_biz_no": biz_no,
                    "product_code": PRODUCT_CODE,
                    "biz_scene": BIZ_SCENE,
                },
            )
        except AlipayRefused as refused:
            if refused.sub_code != ORDER_NOT_EXIST:
                raise
            return None

    def _fenxiao_alipay_order_result(self, withdrawal, order):
        """Record the status of Alipay's ``order`` (checked) on
        ``withdrawal``; what it means, in the payout interface's words."""
        status = withdrawal._alipay_known_status(order.get("status"))
        withdrawal.sudo().alipay_transfer_status = status
        outcome = transfer_outcome(status)
        message = withdrawal.sudo()._alipay_status_label()
        if outcome == "failed":
            message = self.env._(
                "Alipay: %(status)s %(reason)s",
                status=message or order.get("status"),
                reason=order.get("fail_reason") or order.get("error_code") or "",
            ).strip()
        return {"state": outcome, "reference": order.get("order_id"), "message": message}

    def _fenxiao_alipay_recover_transfer(self, withdrawal):
        """``withdrawal`` is approved, but a Pay Out called Alipay for it and
        never committed. Ask Alipay by its out_biz_no (its own reference): a
        transfer Alipay holds is recorded as that Pay Out would have (paying,
        then paid or failed per its status); none, and the withdrawal stays
        approved and is not asked about again. Never sends a transfer: a
        manager decides again whether to pay."""
        self.ensure_one()
        withdrawal = withdrawal.with_env(self.env)
        biz_no = withdrawal.alipay_out_biz_no or withdrawal._alipay_biz_no()
        order = self._fenxiao_alipay_query(biz_no)
        if order is None:
            withdrawal._fenxiao_payout_forget_attempts()
            return
        if not withdrawal.alipay_out_biz_no:
            # what the rolled back Pay Out wrote: the number, one request sent
            # (once: a run that found another transfer has written it)
            withdrawal.sudo().write(
                {
                    "alipay_out_biz_no": biz_no,
                    "alipay_sent_date": fields.Datetime.now(),
                    "alipay_send_count": withdrawal.sudo().alipay_send_count + 1,
                }
            )
        if not self._fenxiao_alipay_check_order(withdrawal, order):
            # not this withdrawal's transfer: flagged, decides nothing; asked
            # again on the next run
            return
        result = self._fenxiao_alipay_order_result(withdrawal, order)
        withdrawal._fenxiao_payout_resume({withdrawal: result})

    def _fenxiao_alipay_check_not_sent(self, withdrawal):
        """UserError unless Alipay has no live transfer of ``withdrawal``
        (none, or one that failed). Its out_biz_no is the withdrawal's own
        reference, so Alipay is asked by it even when nothing of the transfer
        was recorded here (a server that died before its commit)."""
        self.ensure_one()
        biz_no = withdrawal.alipay_out_biz_no or withdrawal._alipay_biz_no()
        try:
            order = self._alipay_call(
                "server_api",
                api_name=QUERY_METHOD,
                biz_content={
                    "out_biz_no": biz_no,
                    "product_code": PRODUCT_CODE,
                    "biz_scene": BIZ_SCENE,
                },
            )
        except AlipayRefused as refused:
            if refused.sub_code == ORDER_NOT_EXIST:
                return
            raise UserError(str(refused)) from refused
        except ValidationError as error:
            # no answer: it cannot be told whether the money left
            raise UserError(str(error)) from error
        if transfer_outcome(order.get("status")) != "failed":
            raise UserError(
                self.env._(
                    "Alipay already holds transfer %(biz_no)s for %(name)s: click Pay Out "
                    "to follow it up instead of rejecting it.",
                    biz_no=biz_no,
                    name=withdrawal.name,
                )
            )

    def _fenxiao_alipay_check_order(self, withdrawal, order):
        """Whether ``order`` is this withdrawal's transfer. One that is not
        (another number, another amount) decides nothing and is flagged for
        a manager, once while the flag waits for review."""
        amount = float_repr(withdrawal.currency_id.round(withdrawal.net_amount), 2)
        if order.get("out_biz_no") in (None, withdrawal.alipay_out_biz_no) and order.get(
            "trans_amount"
        ) in (None, amount):
            return True
        _logger.warning("Alipay: the transfer does not match withdrawal %s", withdrawal.name)
        Event = self.env["payment.risk.event"].sudo()
        flagged = Event.search_count(
            [
                ("kind", "=", "amount_mismatch"),
                ("provider_code", "=", "alipay"),
                ("reference", "=", withdrawal.name),
                ("state", "=", "new"),
            ]
        )
        if not flagged:
            Event._flag(
                "amount_mismatch",
                provider_code="alipay",
                reference=withdrawal.name,
                partner_id=withdrawal.partner_id.id,
                details=f"transfer: {order.get('trans_amount')} / {amount}, "
                f"out_biz_no {order.get('out_biz_no')}",
            )
        return False
