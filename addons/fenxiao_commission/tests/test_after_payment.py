from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestAfterPayment(FenxiaoCommissionCase):
    """Once the shopper has paid, what follows (mails, their PDFs) never undoes the order."""

    def test_paid_order_stays_confirmed_when_its_mail_fails(self):
        self.env["ir.config_parameter"].set_param("sale.async_emails", "False")
        order, tx = self._online_paid_quotation()
        report = type(self.env["ir.actions.report"])
        no_pdf = UserError("Unable to find Wkhtmltopdf on this system.")
        with (
            patch.object(report, "_render_qweb_pdf", side_effect=no_pdf),
            patch.object(type(tx), "_create_payment"),  # no journal for this test provider
            self.assertLogs("odoo.addons.fenxiao.models.sale_order", "ERROR") as logs,
        ):
            tx._post_process()
        self.assertTrue(tx.is_post_processed)
        self.assertEqual(order.state, "sale")
        self.assertEqual(sum(order.fenxiao_commission_line_ids.mapped("amount")), 15.0)
        self.assertIn(order.name, logs.output[0])
        confirmation = order._get_confirmation_template()
        self.assertEqual(order.pending_email_template_id, confirmation)
        self.assertTrue(
            order.message_ids.filtered(lambda m: confirmation.display_name in m.body),
            "the salesperson sees it on the order",
        )

        # the scheduled retry sends it once PDFs render again
        before = order.message_ids
        self.env["sale.order"]._cron_send_pending_emails(auto_commit=False)
        self.assertFalse(order.pending_email_template_id)
        sent = order.message_ids - before
        self.assertEqual(len(sent), 1)
        self.assertIn(order.name, sent.subject)
        self.assertTrue(sent.attachment_ids, "with the order's PDF")

    def test_the_failed_mail_is_noted_by_the_system_in_the_company_language(self):
        """The payment's notification runs as the public user, in the shopper's
        language: the note is the system's, in the language of the company."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env.company.partner_id.lang = "zh_CN"
        self.env["ir.config_parameter"].set_param("sale.async_emails", "False")
        order, tx = self._online_paid_quotation()
        public = self.env.ref("base.public_user")
        report = type(self.env["ir.actions.report"])
        no_pdf = UserError("Unable to find Wkhtmltopdf on this system.")
        with (
            patch.object(report, "_render_qweb_pdf", side_effect=no_pdf),
            patch.object(type(tx), "_create_payment"),
            mute_logger("odoo.addons.fenxiao.models.sale_order"),
        ):
            tx.with_user(public).with_context(lang="en_US").sudo()._post_process()
        note = order.message_ids.filtered(lambda m: "未能发送给客户" in (m.body or ""))
        self.assertEqual(len(note), 1, order.message_ids.mapped("body"))
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"), "OdooBot")

    def test_a_retry_that_fails_again_stays_pending_and_others_go_out(self):
        first, _tx = self._online_paid_quotation()
        second = self._order(self.customer, [(self.p50, 1)])
        template = first._get_confirmation_template()
        (first | second).pending_email_template_id = template
        real_send = type(first)._send_order_notification_mail

        def send(order, mail_template):
            if order == first:
                raise UserError(order.env._("Unable to find Wkhtmltopdf on this system."))
            return real_send(order, mail_template)

        with (
            patch.object(type(first), "_send_order_notification_mail", send),
            mute_logger("odoo.addons.fenxiao.models.sale_order"),
        ):
            self.env["sale.order"]._cron_send_pending_emails(auto_commit=False)
        self.assertEqual(first.pending_email_template_id, template)
        self.assertFalse(second.pending_email_template_id)

    def test_paid_order_stays_confirmed_when_its_invoice_cannot_be_sent(self):
        self.env["ir.config_parameter"].set_param("sale.automatic_invoice", "True")
        self.customer.email = "guke@example.cn"
        order, tx = self._online_paid_quotation()
        report = type(self.env["ir.actions.report"])
        no_pdf = UserError("Unable to find Wkhtmltopdf on this system.")
        with (
            patch.object(report, "_pre_render_qweb_pdf", side_effect=no_pdf),
            patch.object(type(tx), "_create_payment"),  # no journal for this test provider
            mute_logger("odoo.addons.fenxiao.models.sale_order"),
            self.assertLogs("odoo.addons.fenxiao.models.payment_transaction", "ERROR"),
        ):
            tx._post_process()
        self.assertEqual(order.state, "sale")
        self.assertEqual(sum(order.fenxiao_commission_line_ids.mapped("amount")), 15.0)
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.is_move_sent, "left for Odoo's invoice sending to retry")
        # the scheduled sending gets it out once PDFs render again
        self.env["payment.transaction"]._cron_send_invoice()
        self.assertTrue(invoice.is_move_sent)
