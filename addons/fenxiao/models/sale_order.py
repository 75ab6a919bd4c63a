import logging
from datetime import timedelta

from odoo import api, fields, models

from ..tools.back_office import as_back_office

_logger = logging.getLogger(__name__)

# How long after a failed order mail the next try is scheduled.
MAIL_RETRY_DELAY = timedelta(hours=1)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # The distribution team's: a salesperson or a shopper reading an order
    # neither reaches the distributors nor learns who referred the customer.
    fenxiao_distributor_id = fields.Many2one(
        "fenxiao.distributor",
        string="Distributor",
        index="btree_not_null",
        copy=False,
        readonly=True,
        groups="fenxiao.group_fenxiao_user",
        help="The distributor credited with this order: the one the customer is bound to, "
        "or the customer themselves when they are a distributor.",
    )
    fenxiao_referral_code = fields.Char(
        string="Referral Code",
        copy=False,
        groups="fenxiao.group_fenxiao_user",
        help="The referral the shopper arrived with, kept for binding on the first paid order.",
    )

    def _action_confirm(self):
        result = super()._action_confirm()
        # Credited with whom the buyer belongs to now; binding and enrolling
        # wait for the payment (an order paid online before it was confirmed,
        # the website's flow, is paid already).
        self._fenxiao_credit()
        self._fenxiao_paid()
        return result

    def _fenxiao_credit(self):
        """Credit each order of ``self`` not credited yet with the buyer's distributor:
        the buyer's own distributor record (their commercial entity's), or the
        distributor the buyer is bound to."""
        # sudo: whoever confirms or pays (a salesperson, the payment's public
        # user) need not read the network's fields
        for order in self.sudo().filtered(lambda order: not order.fenxiao_distributor_id):
            buyer = order.partner_id
            partner = buyer.commercial_partner_id
            credited = buyer._fenxiao_own_distributor() or partner.fenxiao_distributor_id
            if credited:
                order.fenxiao_distributor_id = credited

    def _fenxiao_paid(self):
        """Bind and enrol the buyers of the orders of ``self`` that are now fully paid.

        Binding on the first order and enrolling after a paid order happen on
        the payment, never on a confirmation alone: a salesperson confirming an
        unpaid order binds and enrols nobody. The order is credited before its
        buyer is enrolled: the order that makes someone a distributor belongs
        to the one who referred them, it is not their own purchase.
        Running it again for the same payment changes nothing.
        """
        for order in self.sudo().filtered(lambda order: order.state == "sale"):
            if not order._fenxiao_is_fully_paid():
                continue
            partner = order.partner_id.commercial_partner_id
            if order.fenxiao_referral_code:
                partner._fenxiao_bind_by_code(order.fenxiao_referral_code, "first_order")
            order._fenxiao_credit()
            if (
                partner._fenxiao_onboards_on_payment()
                and not order.partner_id._fenxiao_own_distributor()
            ):
                partner._fenxiao_onboard("paid_order")

    def _fenxiao_is_fully_paid(self):
        """Paid by done payment transactions or by paid customer invoices."""
        self.ensure_one()
        if self.currency_id.compare_amounts(self.amount_paid, self.amount_total) >= 0:
            return True
        invoices = self.invoice_ids.filtered(
            lambda move: move.state == "posted" and move.move_type == "out_invoice"
        )
        if not invoices:
            return False
        paid = sum(invoices.mapped("amount_total")) - sum(invoices.mapped("amount_residual"))
        return self.currency_id.compare_amounts(paid, self.amount_total) >= 0

    # ------------------------------------------------------------------
    # Order mails: after the money moved, a mail never undoes the order
    # ------------------------------------------------------------------
    def _send_order_notification_mail(self, mail_template):
        """Send the order's confirmation or payment mail without risking the order.

        These mails go out while the payment is post-processed: the shopper has
        paid, the order is being confirmed and its commission earned. A mail
        that fails (its PDF cannot be rendered without wkhtmltopdf, a template
        error) is rolled back alone, logged on the order and queued in
        sale_async_emails' pending mail, retried by its scheduled action.
        """
        if self.env.context.get("is_async_email"):
            # the retry run (_cron_send_pending_emails) handles failures itself
            return super()._send_order_notification_mail(mail_template)
        try:
            with self.env.cr.savepoint():
                super()._send_order_notification_mail(mail_template)
        except Exception:
            _logger.exception(
                "Sending mail %s of order %s failed; it will be retried",
                mail_template.display_name,
                self.name,
            )
            self._fenxiao_mail_failed(mail_template)

    def _fenxiao_mail_failed(self, mail_template):
        """Queue ``mail_template`` for a retry and say so on the order."""
        self.ensure_one()
        order = as_back_office(self, self.company_id)
        order.pending_email_template_id = mail_template
        order.message_post(
            body=order.env._(
                "The mail “%s” could not be sent to the customer; it will be tried again.",
                mail_template.display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        cron = self.env.ref("sale_async_emails.cron", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(fields.Datetime.now() + MAIL_RETRY_DELAY)

    @api.model
    def _cron_send_pending_emails(self, auto_commit=True):
        """Send the pending order mails, each on its own.

        Odoo's run stops at the first mail that fails and, that mail first
        again next time, never gets past it; here a failed mail stays pending
        for the next run and the others go out.
        """
        for order in self.search([("pending_email_template_id", "!=", False)]):
            template = order.pending_email_template_id
            try:
                with self.env.cr.savepoint():
                    order.with_context(is_async_email=True)._send_order_notification_mail(template)
                    order.pending_email_template_id = False
            except Exception:
                _logger.exception("Sending mail %s of order %s failed again", template, order.name)
            if auto_commit:
                # as Odoo's run does: a mail sent stays sent if the run is killed
                self.env.cr.commit()  # pylint: disable=invalid-commit
