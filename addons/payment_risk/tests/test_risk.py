from odoo.tests import tagged

from odoo.addons.payment.tests.common import PaymentCommon


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
