from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AfterSalesWeChatPayCase

PROVIDER_LOGGER = "odoo.addons.payment_wechatpay.models.payment_transaction"
GATEWAY_LOGGER = "odoo.addons.payment_wechatpay.models.payment_provider"
RISK_LOGGER = "odoo.addons.payment_risk.models.payment_transaction"
RISK_EVENT_LOGGER = "odoo.addons.payment_risk.models.payment_risk_event"


@tagged("post_install", "-at_install")
class TestAfterSalesRefund(AfterSalesWeChatPayCase):
    def test_approving_twice_refunds_once_through_wechatpay(self):
        order, tx = self._wechat_paid_order([(self.p100, 2)])
        rma = self._ask(order, 1)
        # an after-sales clerk: RMA and billing rights (rma's credit note),
        # no payment rights
        clerk = new_test_user(
            self.env,
            "fx_after_sales_clerk",
            groups="rma.rma_group_user_own,account.group_account_invoice",
        )
        rma.with_user(clerk).action_fenxiao_approve()
        rma.with_user(clerk).action_fenxiao_approve()
        rma._fenxiao_refund()  # a second refund asked in code: claimed already
        refunds = tx.child_transaction_ids.filtered(lambda t: t.operation == "refund")
        self.assertEqual(len(refunds), 1)
        self.assertEqual(refunds.amount, -100.0)
        self.assertEqual(len(self.simulator.refunds), 1, "WeChat Pay was asked once")
        self.assertEqual(rma.fenxiao_refund_tx_id, refunds)
        self.assertEqual(rma.fenxiao_status, "refunding", "WeChat Pay is processing")
        self.assertEqual(rma.state, "refunded", "rma's credit note is made")
        self.assertTrue(rma.refund_id)
        self._finish_refund(rma)
        self.assertEqual(rma.fenxiao_status, "refunded")

    @mute_logger(PROVIDER_LOGGER, GATEWAY_LOGGER, RISK_LOGGER, RISK_EVENT_LOGGER)
    def test_failed_refund_stays_visible_and_can_be_retried(self):
        order, tx = self._wechat_paid_order([(self.p100, 1)])
        rma = self._ask(order, 1)
        rma.action_fenxiao_approve()
        first = rma.fenxiao_refund_tx_id
        self._finish_refund(rma, status="ABNORMAL")
        self.assertEqual(first.state, "error")
        self.assertEqual(rma.fenxiao_refund_state, "failed")
        self.assertEqual(rma.fenxiao_status, "refund_failed", "never shown as done")
        # WeChat Pay does not answer the retry: still failed, visible
        self.simulator.fail_next = 10
        rma.action_fenxiao_retry_refund()
        self.assertEqual(rma.fenxiao_refund_state, "failed")
        self.assertEqual(rma.fenxiao_refund_tx_id, first)
        self.simulator.fail_next = 0
        rma.action_fenxiao_retry_refund()
        second = rma.fenxiao_refund_tx_id
        self.assertNotEqual(second, first)
        self.assertEqual(rma.fenxiao_status, "refunding")
        self._finish_refund(rma)
        self.assertEqual(rma.fenxiao_status, "refunded")
        self.assertEqual(second.amount, -100.0)

    def test_return_is_refunded_once_the_parcel_is_received(self):
        order, tx = self._wechat_paid_order([(self.p100, 2)])
        self._deliver(order)
        rma = self._ask(order, 2, self.return_refund)
        self.assertEqual(rma.fenxiao_amount, 200.0)
        rma.action_fenxiao_approve()
        self.assertFalse(rma.fenxiao_refund_tx_id, "nothing refunded before the goods are back")
        rma._fenxiao_set_return_parcel(
            self.customer, self.env.ref("fenxiao_logistics.carrier_zhongtong"), "ZT7700112233"
        )
        self._receive(rma)
        self.assertEqual(rma.fenxiao_status, "refunding")
        self._finish_refund(rma)
        self.assertEqual(rma.fenxiao_status, "refunded")

    def test_refund_only_reverses_the_distributors_commission(self):
        order, tx = self._wechat_paid_order([(self.p100, 2)])
        self.assertEqual(
            self._ledger(order),
            {
                (self.a1, 1, self.p100, "commission"): 20.0,
                (self.a, 2, self.p100, "commission"): 10.0,
            },
        )
        rma = self._ask(order, 1)
        rma.action_fenxiao_approve()
        refund_tx = self._finish_refund(rma)
        refund_tx._post_process()
        reversed_lines = order.fenxiao_commission_line_ids.filtered(lambda line: line.amount < 0)
        self.assertTrue(reversed_lines)
        # half of the order given back: half of each commission, once
        for distributor, amount in ((self.a1, -10.0), (self.a, -5.0)):
            lines = reversed_lines.filtered(lambda line, d=distributor: line.distributor_id == d)
            self.assertEqual(sum(lines.mapped("amount")), amount, lines.mapped("kind"))
        self.assertEqual(set(reversed_lines.mapped("reversal_cause")), {"refund"})
        self.assertEqual(set(reversed_lines.mapped("origin")), {refund_tx.reference})
