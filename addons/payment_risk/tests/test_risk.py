from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.payment.tests.common import PaymentCommon

from .common import take_committed_events


@tagged("post_install", "-at_install")
class TestPaymentRisk(PaymentCommon):
    def test_burst_of_failed_payments_flagged_once(self):
        Risk = self.env["payment.risk.event"]
        for n in range(4):
            self._create_transaction("redirect", reference=f"FAIL-{n}")._set_error("declined")
        self.assertFalse(Risk.search([("partner_id", "=", self.partner.id)]), "4 is not a burst")
        self._create_transaction("redirect", reference="FAIL-4")._set_error("declined")
        event = Risk.search([("partner_id", "=", self.partner.id)])
        self.assertEqual(event.kind, "failed_burst")
        self.assertIn("5", event.details)
        self._create_transaction("redirect", reference="FAIL-5")._set_error("declined")
        self.assertEqual(len(Risk.search([("partner_id", "=", self.partner.id)])), 1, "once")
        event.action_mark_reviewed()
        self.assertEqual(event.state, "done")
        self.assertFalse(event.activity_ids, "the to-do is done")

    def test_flag_schedules_a_review_for_an_accounting_manager(self):
        manager = self.env["res.users"].create(
            {
                "name": "财务经理",
                "login": "fx_risk_manager",
                "groups_id": [(6, 0, [self.env.ref("account.group_account_manager").id])],
            }
        )
        event = self.env["payment.risk.event"]._flag(
            "unknown_transaction", provider_code="alipay", reference="SO-NOBODY"
        )
        self.assertTrue(event.activity_ids)
        self.assertTrue(
            event.activity_ids.user_id.has_group("account.group_account_manager"),
            manager.name,
        )

    def _take_committed_events(self, kind):
        return take_committed_events(self.env, kind)

    def test_refund_larger_than_what_is_left_is_refused_and_flagged(self):
        tx = self._create_transaction("redirect", reference="PAID-1", state="done", amount=100.0)
        tx._send_refund_request(amount_to_refund=60.0)._set_done()
        with self.assertRaisesRegex(ValidationError, "40.0"):
            tx._send_refund_request(amount_to_refund=50.0)
        (event,) = self._take_committed_events("refund_exceeds")
        self.assertEqual(event[0], "PAID-1")
        self.assertFalse(event[1], "the test's transaction is not committed: no link")
        self.assertIn("50.0", event[2])
        # what is left can still be refunded; a failed refund gives its amount back
        failed = tx._send_refund_request(amount_to_refund=30.0)
        failed._set_error("declined")
        self.assertEqual(tx._risk_refundable_amount(), 40.0)
        tx._send_refund_request(amount_to_refund=40.0)
        self.assertEqual(tx._risk_refundable_amount(), 0.0)

    def test_burst_of_failed_payments_from_one_ip_address(self):
        Risk = self.env["payment.risk.event"]
        partners = self.env["res.partner"].create([{"name": f"买家{n}"} for n in range(5)])
        for n, partner in enumerate(partners):
            tx = self._create_transaction(
                "redirect",
                reference=f"IP-{n}",
                partner_id=partner.id,
                risk_ip_address="203.0.113.7",
            )
            tx._set_error("declined")
        event = Risk.search([("kind", "=", "failed_burst"), ("ip_address", "=", "203.0.113.7")])
        self.assertEqual(len(event), 1, "five customers, one address: card testing")
        self.assertFalse(Risk.search([("partner_id", "in", partners.ids)]), "each customer once")

    def test_a_flood_of_forged_notifications_is_one_event(self):
        Risk = self.env["payment.risk.event"]
        for n in range(50):
            Risk._flag(
                "bad_signature",
                provider_code="wechatpay",
                ip_address=f"198.51.100.{n}",
                details=f"forgery {n}",
            )
        event = Risk.search([("kind", "=", "bad_signature")])
        self.assertEqual(len(event), 1, "fifty addresses, one event")
        self.assertEqual(event.occurrences, 50)
        self.assertEqual(event.ip_address, "198.51.100.0")
        self.assertEqual(len(event.activity_ids), 1, "one to-do, not fifty")
        # another kind or provider: an event of its own
        Risk._flag("unknown_transaction", provider_code="wechatpay", reference="X-1")
        Risk._flag("unknown_transaction", provider_code="wechatpay", reference="X-2")
        Risk._flag("bad_signature", provider_code="alipay", ip_address="198.51.100.9")
        self.assertEqual(
            len(Risk.search([("kind", "in", ("bad_signature", "unknown_transaction"))])), 3
        )
        # once reviewed, the next one is new
        event.action_mark_reviewed()
        Risk._flag("bad_signature", provider_code="wechatpay", ip_address="198.51.100.9")
        again = Risk.search([("kind", "=", "bad_signature"), ("provider_code", "=", "wechatpay")])
        self.assertEqual(len(again), 2)
        self.assertEqual(again[0].occurrences, 1)
        self.assertTrue(again[0].activity_ids)
        # what names a transaction is never folded
        Risk._flag("amount_mismatch", provider_code="wechatpay", ip_address="198.51.100.9")
        Risk._flag("amount_mismatch", provider_code="wechatpay", ip_address="198.51.100.9")
        self.assertEqual(len(Risk.search([("kind", "=", "amount_mismatch")])), 2)
