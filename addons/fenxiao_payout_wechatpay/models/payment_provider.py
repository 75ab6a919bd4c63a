from werkzeug import urls

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.fenxiao.tools.back_office import as_back_office
from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment_wechatpay.controllers.main import WeChatPayController
from odoo.addons.payment_wechatpay.models.payment_provider import WeChatPayRefused

from .fenxiao_withdrawal import transfer_outcome

# 商家转账 scene 1005 (佣金报酬) wants these two reports
COMMISSION_SCENE_ID = "1005"


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    wechatpay_transfer_enabled = fields.Boolean(
        string="Pay Withdrawals to WeChat",
        help="Approved withdrawals to a WeChat wallet are sent with 商家转账到零钱; the "
        "distributor confirms receiving them in WeChat.",
    )
    wechatpay_transfer_scene_id = fields.Char(
        string="Transfer Scene ID",
        default=COMMISSION_SCENE_ID,
        help="The transfer scene approved for the merchant: 1005 is 佣金报酬 (commission).",
    )

    @api.model
    def _fenxiao_wechatpay_transfer_provider(self, company):
        return self.sudo().search(
            [
                ("code", "=", "wechatpay"),
                ("state", "in", ("enabled", "test")),
                ("company_id", "=", company.id),
                ("wechatpay_transfer_enabled", "=", True),
            ],
            limit=1,
        )

    def _fenxiao_wechatpay_transfer(self, withdrawal):
        """Send one withdrawal to the distributor's WeChat wallet; the result
        as the payout interface wants it."""
        self.ensure_one()
        account = withdrawal.payout_account_id
        fen = payment_utils.to_minor_currency_units(withdrawal.net_amount, withdrawal.currency_id)
        bill_no = withdrawal.wechatpay_out_bill_no or withdrawal._wechatpay_bill_no()
        withdrawal.sudo().write(
            {"wechatpay_out_bill_no": bill_no, "wechatpay_sent_date": fields.Datetime.now()}
        )
        try:
            answer = self._wechatpay_call(
                "mch_transfer_bills",
                out_bill_no=bill_no,
                transfer_scene_id=self.wechatpay_transfer_scene_id or COMMISSION_SCENE_ID,
                openid=account._get_account_number(),
                transfer_amount=fen,
                # the distributor reads it in WeChat: in their language
                transfer_remark=self.with_context(lang=withdrawal.partner_id.lang).env._(
                    "Commission %s", withdrawal.name
                )[:32],
                # WeChat Pay checks the real name against the wallet's
                user_name=account.holder_name,
                user_recv_perception="劳务报酬",
                transfer_scene_report_infos=[
                    {"info_type": "岗位类型", "info_content": "分销员"},
                    {"info_type": "报酬说明", "info_content": "分销佣金提现"},
                ],
                notify_url=urls.url_join(self.get_base_url(), WeChatPayController._notify_url),
            )
        except WeChatPayRefused as refused:
            return {"state": "failed", "message": str(refused)}
        except ValidationError as error:
            # no answer: the transfer may exist; the cron asks WeChat Pay
            return {"state": "pending", "message": str(error)}
        withdrawal.sudo().write(
            {
                "wechatpay_transfer_state": withdrawal._wechatpay_known_state(answer.get("state")),
                "wechatpay_package_info": answer.get("package_info"),
            }
        )
        return {
            "state": transfer_outcome(answer.get("state")),
            "reference": answer.get("transfer_bill_no"),
            "message": answer.get("fail_reason") or withdrawal._wechatpay_state_label(),
        }

    def _fenxiao_wechatpay_sync_transfer(self, withdrawal):
        self.ensure_one()
        try:
            bill = self._wechatpay_call(
                "mch_transfer_bills_query", out_bill_no=withdrawal.wechatpay_out_bill_no
            )
        except WeChatPayRefused as refused:
            if refused.status != 404 or not withdrawal._wechatpay_unknown_for_long():
                raise
            # the request never reached WeChat Pay: the amount goes back
            bill = {"state": "FAIL", "fail_reason": refused.code}
        self._fenxiao_wechatpay_check_bill(withdrawal, bill)
        withdrawal._wechatpay_apply_transfer(bill)

    def _fenxiao_wechatpay_recover_transfer(self, withdrawal):
        """``withdrawal`` is approved, but a Pay Out called WeChat Pay for it
        and never committed. Ask WeChat Pay by its bill number: a transfer it
        holds is recorded as that Pay Out would have (paying, then paid or
        failed per its state); none, and the withdrawal stays approved and
        is not asked about again. Never sends a new transfer."""
        self.ensure_one()
        bill_no = withdrawal._wechatpay_bill_no()
        try:
            bill = self._wechatpay_call("mch_transfer_bills_query", out_bill_no=bill_no)
        except WeChatPayRefused as refused:
            if refused.status != 404:
                raise UserError(str(refused)) from refused
            # the request never reached WeChat Pay: a manager decides again
            withdrawal._fenxiao_payout_forget_attempts()
            return
        self._fenxiao_wechatpay_check_bill(withdrawal, bill)
        state = withdrawal._wechatpay_known_state(bill.get("state"))
        withdrawal.sudo().write(
            {
                "wechatpay_out_bill_no": bill_no,
                "wechatpay_sent_date": fields.Datetime.now(),
                "wechatpay_transfer_state": state,
            }
        )
        outcome = transfer_outcome(state)
        message = withdrawal._wechatpay_state_label()
        if outcome == "failed":
            message = self.env._(
                "WeChat Pay: %(state)s %(reason)s",
                state=message or bill.get("state"),
                reason=bill.get("fail_reason") or "",
            ).strip()
        news = as_back_office(withdrawal, withdrawal.company_id)
        news._fenxiao_payout_resume(
            {
                news: {
                    "state": outcome,
                    "reference": bill.get("transfer_bill_no"),
                    "message": message,
                }
            }
        )
        if state == "WAIT_USER_CONFIRM":
            # The query does not carry what the distributor's WeChat needs to
            # accept it; the same request again answers with the existing
            # transfer (the same bill number is never paid twice), as Pay Out
            # clicked again would. Its answer decides nothing here.
            self._fenxiao_wechatpay_transfer(withdrawal)

    def _fenxiao_wechatpay_check_not_sent(self, withdrawal):
        """UserError unless WeChat Pay has no live transfer of ``withdrawal``
        (none, or one that failed or was not accepted in time)."""
        self.ensure_one()
        bill_no = withdrawal.wechatpay_out_bill_no or withdrawal._wechatpay_bill_no()
        try:
            bill = self._wechatpay_call("mch_transfer_bills_query", out_bill_no=bill_no)
        except WeChatPayRefused as refused:
            if refused.status == 404:
                return
            raise UserError(str(refused)) from refused
        except ValidationError as error:
            # no answer: it cannot be told whether the money left
            raise UserError(str(error)) from error
        if transfer_outcome(bill.get("state")) != "failed":
            raise UserError(
                self.env._(
                    "WeChat Pay already holds transfer %(bill)s for %(name)s: click Pay Out "
                    "to follow it up instead of rejecting it.",
                    bill=bill_no,
                    name=withdrawal.name,
                )
            )

    def _fenxiao_wechatpay_check_bill(self, withdrawal, bill):
        fen = payment_utils.to_minor_currency_units(withdrawal.net_amount, withdrawal.currency_id)
        mch_id = bill.get("mch_id")
        amount = bill.get("transfer_amount")
        if (mch_id and mch_id != self.wechatpay_mch_id) or (amount is not None and amount != fen):
            self.env["payment.risk.event"]._flag(
                "amount_mismatch" if amount != fen else "merchant_mismatch",
                provider_code="wechatpay",
                reference=withdrawal.name,
                partner_id=withdrawal.partner_id.id,
                details=f"transfer: {amount} fen / {fen} fen, mch_id {mch_id}",
            )
            raise ValidationError(
                self.env._(
                    "WeChat Pay: the transfer does not match withdrawal %s.", withdrawal.name
                )
            )

    def _wechatpay_process_transfer(self, resource):
        withdrawal = (
            self.env["fenxiao.withdrawal"]
            .sudo()
            .search([("wechatpay_out_bill_no", "=", resource.get("out_bill_no"))], limit=1)
        )
        if not withdrawal:
            return super()._wechatpay_process_transfer(resource)
        self._fenxiao_wechatpay_check_bill(withdrawal, resource)
        withdrawal._wechatpay_apply_transfer(resource)
        return True
