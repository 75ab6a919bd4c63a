import io
import logging
import math
import re
from datetime import timedelta

from markupsafe import Markup
from PIL import Image

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, plaintext2html

_logger = logging.getLogger(__name__)

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_DESCRIPTION = 2000
# What the carriers print on a waybill: ASCII letters, digits and dashes.
TRACKING_REF = re.compile(r"[A-Za-z0-9-]{6,32}")
OPEN_REVIEW = ("pending", "need_info")


class Rma(models.Model):
    """An after-sales request of a shopper is an rma: the review (同意, 拒绝,
    补充资料), the refund through the provider that was paid and the return
    parcel are added here; receptions and replacements are rma's own."""

    _inherit = "rma"

    fenxiao_sale_line_id = fields.Many2one(
        "sale.order.line", string="Order Line", index=True, readonly=True, copy=False
    )
    fenxiao_order_id = fields.Many2one(
        related="fenxiao_sale_line_id.order_id", store=True, index=True, string="Order"
    )
    fenxiao_kind = fields.Selection(related="operation_id.fenxiao_kind", store=True)
    fenxiao_reason_id = fields.Many2one(
        "fenxiao.after.sales.reason", string="Reason", readonly=True, copy=False
    )
    fenxiao_currency_id = fields.Many2one(
        related="fenxiao_order_id.currency_id", string="Order Currency"
    )
    fenxiao_amount = fields.Monetary(
        string="Refund Amount",
        currency_field="fenxiao_currency_id",
        readonly=True,
        copy=False,
        help="What the shopper paid for these units (discounts and taxes as in the order).",
    )
    fenxiao_review = fields.Selection(
        [
            ("pending", "To Review"),
            ("need_info", "Waiting for the Shopper"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="Review",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    fenxiao_reject_reason = fields.Text(string="Rejection Reason", readonly=True, copy=False)
    fenxiao_info_request = fields.Text(string="Information Asked", readonly=True, copy=False)
    fenxiao_refund_state = fields.Selection(
        [
            ("none", "Not Refunded"),
            ("refunding", "Refunding"),
            ("refunded", "Refunded"),
            ("failed", "Refund Failed"),
        ],
        string="Refund Status",
        default="none",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    fenxiao_refund_tx_id = fields.Many2one(
        "payment.transaction", string="Refund Transaction", readonly=True, copy=False
    )
    return_carrier_id = fields.Many2one("fenxiao.parcel.carrier", readonly=True, copy=False)
    return_tracking_ref = fields.Char(string="Return Tracking Number", readonly=True, copy=False)
    fenxiao_status = fields.Selection(
        [
            ("pending", "Waiting for review"),
            ("need_info", "More information needed"),
            ("rejected", "Rejected"),
            ("to_return", "Please send the goods back"),
            ("returning", "Return parcel on its way"),
            ("replacing", "Replacement on its way"),
            ("replaced", "Exchanged"),
            ("refunding", "Refunding"),
            ("refunded", "Refunded"),
            ("refund_failed", "Refund failed"),
            ("approved", "Approved"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        compute="_compute_fenxiao_status",
    )
    fenxiao_age_hours = fields.Integer(string="Age (hours)", compute="_compute_fenxiao_age")
    fenxiao_age = fields.Char(string="Age", compute="_compute_fenxiao_age")

    @api.depends(
        "fenxiao_review",
        "fenxiao_refund_state",
        "fenxiao_kind",
        "state",
        "return_tracking_ref",
    )
    def _compute_fenxiao_status(self):
        for rma in self:
            review, refund = rma.fenxiao_review, rma.fenxiao_refund_state
            if review in ("pending", "need_info", "rejected"):
                status = review
            elif rma.state == "cancelled":
                status = "cancelled"
            elif refund == "failed":
                status = "refund_failed"
            elif refund in ("refunding", "refunded"):
                status = refund
            elif rma.fenxiao_kind in ("return", "exchange") and rma.state == "confirmed":
                status = "returning" if rma.return_tracking_ref else "to_return"
            elif rma.fenxiao_kind == "exchange" and rma.state in (
                "received",
                "waiting_replacement",
            ):
                status = "replacing"
            elif rma.fenxiao_kind == "exchange" and rma.state == "replaced":
                status = "replaced"
            else:
                status = "approved" if review == "approved" else False
            rma.fenxiao_status = status

    @api.depends("date")
    def _compute_fenxiao_age(self):
        now = fields.Datetime.now()
        for rma in self:
            hours = int((now - rma.date).total_seconds() // 3600) if rma.date else 0
            rma.fenxiao_age_hours = hours
            rma.fenxiao_age = (
                self.env._("%(days)sd %(hours)sh", days=hours // 24, hours=hours % 24)
                if hours >= 24
                else self.env._("%sh", hours)
            )

    # ------------------------------------------------------------------
    # The shopper's request
    # ------------------------------------------------------------------
    @api.model
    def _fenxiao_check_photos(self, photos):
        """``photos``: [(file name, bytes)]. Real images of at most 5 MB each,
        at most 6; returns [(file name, bytes, mimetype)]."""
        if len(photos) > MAX_PHOTOS:
            raise ValidationError(self.env._("At most %s photos.", MAX_PHOTOS))
        checked = []
        for name, data in photos:
            if len(data) > MAX_PHOTO_BYTES:
                raise ValidationError(
                    self.env._("The photo “%s” is larger than 5 MB.", name or "?")
                )
            try:
                with Image.open(io.BytesIO(data)) as image:
                    image_format = image.format
                    image.verify()
            except Exception as error:  # noqa: BLE001 — PIL raises many kinds
                raise ValidationError(
                    self.env._("The file “%s” is not a photo.", name or "?")
                ) from error
            if image_format not in ("JPEG", "PNG", "GIF", "WEBP"):
                raise ValidationError(
                    self.env._("The file “%s” is not a JPEG, PNG, GIF or WebP photo.", name)
                )
            checked.append((name or "photo", data, f"image/{image_format.lower()}"))
        return checked

    def _fenxiao_attach_photos(self, photos):
        self.ensure_one()
        if not photos:
            return self.env["ir.attachment"]
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": data,
                        "mimetype": mimetype,
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for name, data, mimetype in photos
                ]
            )
        )

    @api.model
    def _fenxiao_lock_order(self, order):
        """Serialise the requests on one order. The row is locked and touched:
        under Odoo's repeatable read, a lock alone would let a transaction
        whose snapshot predates the other's commit miss its request; touching
        the row makes that transaction fail and be retried instead."""
        self.env.cr.execute("SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [order.id])
        self.env.cr.execute(
            "UPDATE sale_order SET write_date = write_date WHERE id = %s", [order.id]
        )

    @api.model
    def _fenxiao_line_balance(self, line):
        """(quantity, amount) still open to after-sales on ``line``: bought
        and paid, less every request not rejected or cancelled, and less the
        units returned to stock outside a request."""
        line = line.sudo()
        requests = self.sudo().search(
            [
                ("fenxiao_sale_line_id", "=", line.id),
                ("fenxiao_review", "!=", "rejected"),
                ("state", "!=", "cancelled"),
            ]
        )
        _outgoing, incoming = line._get_outgoing_incoming_moves()
        returned = sum(
            move.product_uom._compute_quantity(move.quantity, line.product_uom)
            for move in incoming
            if move.state == "done" and not move.rma_receiver_ids
        )
        quantity = line.product_uom_qty - sum(requests.mapped("product_uom_qty")) - returned
        amount = line._fenxiao_paid_amount() - sum(requests.mapped("fenxiao_amount"))
        return quantity, line.currency_id.round(amount)

    @api.model
    def _fenxiao_check_order(self, order, partner):
        """The order is the shopper's, paid, and within the after-sales window.
        Returns (received date or None, shipped)."""
        if order.partner_id.commercial_partner_id != partner.commercial_partner_id:
            raise UserError(self.env._("This order is not yours."))
        if order.state != "sale" or not order._fenxiao_is_fully_paid():
            raise UserError(self.env._("After-sales can only be asked on a paid order."))
        days = order.company_id.fenxiao_after_sales_days
        received = order._fenxiao_after_sales_received_date()
        if received and fields.Datetime.now() > received + timedelta(days=days):
            raise UserError(
                self.env._(
                    "The after-sales window has closed: the goods were received on "
                    "%(date)s and after-sales can be asked within %(days)s days.",
                    date=fields.Date.to_string(received.date()),
                    days=days,
                )
            )
        return received, order._fenxiao_after_sales_shipped()

    @api.model
    def _fenxiao_check_quantity(self, quantity, line):
        rounding = line.product_uom.rounding
        if (
            not isinstance(quantity, int | float)
            or isinstance(quantity, bool)
            or not math.isfinite(quantity)
            or float_compare(quantity, 0, precision_rounding=rounding) <= 0
            or not float_is_zero(quantity - round(quantity), precision_rounding=rounding)
        ):
            raise UserError(self.env._("The quantity must be a whole number of at least 1."))
        return quantity

    @api.model
    def _fenxiao_prepare_request(self, order, request, received, shipped):
        """Check one asked line (nothing written); returns what creates it."""
        line = order.order_line.filtered(lambda sol: sol.id == request.get("line_id"))
        if not line or line.display_type or line.is_delivery or line.price_total <= 0:
            raise UserError(self.env._("This order has no such line."))
        operation = self.env["rma.operation"].sudo().browse(request.get("operation_id")).exists()
        if not operation.fenxiao_kind or not operation.active:
            raise UserError(self.env._("Please choose the type of after-sales."))
        reason = (
            self.env["fenxiao.after.sales.reason"].sudo().browse(request.get("reason_id")).exists()
        )
        if not reason.active:
            raise UserError(self.env._("Please choose a reason."))
        quantity = self._fenxiao_check_quantity(request.get("quantity"), line)
        description = (request.get("description") or "").strip()
        if len(description) > MAX_DESCRIPTION:
            raise UserError(
                self.env._("The description is longer than %s characters.", MAX_DESCRIPTION)
            )
        if operation.fenxiao_kind == "refund" and received:
            raise UserError(
                self.env._("The goods were received: please ask for a return and refund instead.")
            )
        move = self.env["stock.move"]
        if operation.fenxiao_kind in ("return", "exchange"):
            move = line.move_ids.filtered(
                lambda m: m.state == "done" and m.picking_code == "outgoing"
            ).sorted("date")[-1:]
            if not shipped or not move:
                raise UserError(
                    self.env._("This item has not been shipped yet: please ask for a refund only.")
                )
        return {
            "line": line,
            "operation": operation,
            "reason": reason,
            "quantity": quantity,
            "description": description,
            "move": move,
            "photos": self._fenxiao_check_photos(request.get("photos") or []),
        }

    @api.model
    def _fenxiao_request_amount(self, line, kind, quantity, balance):
        """The refund of ``quantity`` units of ``line`` given its open
        (quantity, amount): their share of what was paid, the last units
        what is left to the cent; an exchange gives no money back."""
        open_qty, open_amount = balance
        rounding = line.product_uom.rounding
        if float_compare(quantity, open_qty, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "At most %(qty)s of “%(product)s” can still be asked for.",
                    qty=max(int(open_qty), 0),
                    product=line.product_id.display_name,
                )
            )
        currency = line.currency_id
        if kind == "exchange":
            amount = 0.0
        elif float_compare(quantity, open_qty, precision_rounding=rounding):
            share = currency.round(line._fenxiao_paid_amount() * quantity / line.product_uom_qty)
            amount = min(share, open_amount)
        else:
            amount = open_amount
        if currency.compare_amounts(amount, open_amount) > 0 or amount < 0:
            raise UserError(self.env._("This is more than what is left to refund on this line."))
        return amount

    @api.model
    def _fenxiao_request(self, order, partner, requests):
        """Create the shopper's after-sales requests on ``order``.

        ``requests``: [{line_id, quantity, operation_id, reason_id,
        description, photos: [(name, bytes)]}]. Everything is checked before
        anything is written; the order is locked while the amounts are
        computed, so that concurrent requests cannot together exceed what was
        paid. Returns the rmas.
        """
        order = order.sudo()
        if not requests:
            raise UserError(self.env._("Nothing to ask for."))
        received, shipped = self._fenxiao_check_order(order, partner)
        prepared = [
            self._fenxiao_prepare_request(order, request, received, shipped) for request in requests
        ]
        self._fenxiao_lock_order(order)
        balances = {}  # within this call, a line asked twice counts together
        vals_list = []
        for item in prepared:
            line, quantity = item["line"], item["quantity"]
            if line not in balances:
                balances[line] = self._fenxiao_line_balance(line)
            amount = self._fenxiao_request_amount(
                line, item["operation"].fenxiao_kind, quantity, balances[line]
            )
            open_qty, open_amount = balances[line]
            balances[line] = (open_qty - quantity, line.currency_id.round(open_amount - amount))
            vals_list.append(
                {
                    "partner_id": order.partner_id.id,
                    "partner_invoice_id": order.partner_invoice_id.id,
                    "partner_shipping_id": order.partner_shipping_id.id,
                    "order_id": order.id,
                    "company_id": order.company_id.id,
                    "origin": order.name,
                    "fenxiao_sale_line_id": line.id,
                    "product_id": line.product_id.id,
                    "product_uom_qty": quantity,
                    "product_uom": line.product_uom.id,
                    "operation_id": item["operation"].id,
                    "location_id": order.warehouse_id.rma_loc_id.id,
                    "move_id": item["move"].id,
                    "picking_id": item["move"].picking_id.id,
                    "fenxiao_reason_id": item["reason"].id,
                    "fenxiao_amount": amount,
                    "fenxiao_review": "pending",
                    "description": plaintext2html(item["description"])
                    if item["description"]
                    else False,
                }
            )
        rmas = self.sudo().with_context(mail_create_nolog=True).create(vals_list)
        for rma, item in zip(rmas, prepared, strict=True):
            rma._fenxiao_attach_photos(item["photos"])
            rma.message_subscribe(partner_ids=order.partner_id.ids)
        rmas._fenxiao_notify("fenxiao_after_sales.mail_template_after_sales_received")
        return rmas

    def _fenxiao_check_owner(self, partner):
        if any(
            rma.partner_id.commercial_partner_id != partner.commercial_partner_id for rma in self
        ):
            raise UserError(self.env._("This request is not yours."))

    def _fenxiao_add_info(self, partner, description, photos):
        """The shopper answers 补充资料: more words and photos; back to review."""
        self.ensure_one()
        self._fenxiao_check_owner(partner)
        description = (description or "").strip()
        if len(description) > MAX_DESCRIPTION:
            raise UserError(
                self.env._("The description is longer than %s characters.", MAX_DESCRIPTION)
            )
        if not description and not photos:
            raise UserError(self.env._("Please add a description or photos."))
        photos = self._fenxiao_check_photos(photos)
        if not self.sudo()._fenxiao_move_review(("need_info",), "pending"):
            raise UserError(self.env._("This request is not waiting for information."))
        rma = self.sudo()
        attachments = rma._fenxiao_attach_photos(photos)
        if description:
            rma.description = (rma.description or Markup()) + plaintext2html(description)
        rma.message_post(
            body=plaintext2html(description) if description else False,
            attachment_ids=attachments.ids,
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _fenxiao_set_return_parcel(self, partner, carrier, tracking_ref):
        """The shopper says how the goods come back: the carrier (a
        ``fenxiao.parcel.carrier`` or its id) and the waybill's number, set on
        the return's reception, which Kuaidi100 then follows like any parcel."""
        self.ensure_one()
        self._fenxiao_check_owner(partner)
        if isinstance(carrier, int) and not isinstance(carrier, bool):
            carrier = self.env["fenxiao.parcel.carrier"].sudo().browse(carrier)
        carrier = carrier.exists() if carrier else carrier
        if not carrier or not carrier.active:
            raise UserError(self.env._("Please choose the carrier."))
        tracking_ref = (tracking_ref or "").strip()
        if not TRACKING_REF.fullmatch(tracking_ref):
            raise UserError(
                self.env._(
                    "The tracking number is 6 to 32 letters, digits or dashes, as on the waybill."
                )
            )
        rma = self.sudo()
        if not (
            rma.fenxiao_review == "approved"
            and rma.fenxiao_kind in ("return", "exchange")
            and rma.state == "confirmed"
        ):
            raise UserError(self.env._("This request is not waiting for a return parcel."))
        rma.write({"return_carrier_id": carrier.id, "return_tracking_ref": tracking_ref})
        reception = rma.reception_move_id.picking_id
        if reception and reception.state not in ("done", "cancel"):
            # the return's reception is the parcel: subscribed, then followed
            reception.write({"parcel_carrier_id": carrier.id, "carrier_tracking_ref": tracking_ref})
        rma.message_post(
            body=self.env._(
                "Return parcel: %(carrier)s %(ref)s", carrier=carrier.name, ref=tracking_ref
            ),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    # ------------------------------------------------------------------
    # Review
    # ------------------------------------------------------------------
    def _fenxiao_move_review(self, from_states, to_state):
        """Move the review of ``self`` from ``from_states`` to ``to_state`` in
        one conditional UPDATE: of two clicks, only one gets the rows.
        Returns the rmas moved."""
        if not self:
            return self
        self.flush_recordset(["fenxiao_review"])
        self.env.cr.execute(
            "UPDATE rma SET fenxiao_review = %s, write_date = now() at time zone 'UTC', "
            "write_uid = %s WHERE id = ANY(%s) AND fenxiao_review = ANY(%s) RETURNING id",
            [to_state, self.env.uid, self.ids, list(from_states)],
        )
        moved = self.browse(row[0] for row in self.env.cr.fetchall())
        self.invalidate_recordset(["fenxiao_review"])
        return moved

    def action_confirm(self):
        """A shopper's request is confirmed by its approval only."""
        if any(rma.fenxiao_review and rma.fenxiao_review != "approved" for rma in self):
            raise UserError(self.env._("Approve the after-sales request instead."))
        return super().action_confirm()

    def action_fenxiao_approve(self):
        """同意: return types get the receipt (the address is shown to the
        shopper); refund only refunds at once. Approving twice does nothing."""
        approved = self._fenxiao_move_review(OPEN_REVIEW, "approved")
        approved.action_confirm()
        approved._fenxiao_notify("fenxiao_after_sales.mail_template_after_sales_approved")
        refund_only = approved.filtered(lambda r: r.fenxiao_kind == "refund")
        refund_only._fenxiao_hold_back_delivery()
        refund_only._fenxiao_refund()
        return True

    def _fenxiao_hold_back_delivery(self):
        """Refunded units not shipped yet must not ship: lower the demand of
        the line's waiting delivery moves (the last step of the route),
        cancelling those left with nothing. Done as superuser: approving is
        what decides it, whatever the reviewer's stock rights."""
        for rma in self:
            line = rma.sudo().fenxiao_sale_line_id
            to_hold = rma.product_uom._compute_quantity(rma.product_uom_qty, line.product_uom)
            moves = line.move_ids.filtered(
                lambda m: m.state not in ("done", "cancel") and m.picking_code == "outgoing"
            ).sorted("id", reverse=True)
            held = 0.0
            for move in moves:
                if float_compare(to_hold, 0, precision_rounding=line.product_uom.rounding) <= 0:
                    break
                demand = move.product_uom._compute_quantity(move.product_uom_qty, line.product_uom)
                take = min(demand, to_hold)
                move._do_unreserve()
                if float_compare(take, demand, precision_rounding=line.product_uom.rounding) >= 0:
                    move._action_cancel()
                else:
                    move.product_uom_qty = (
                        move.product_uom_qty
                        - line.product_uom._compute_quantity(take, move.product_uom)
                    )
                    move._action_assign()
                to_hold -= take
                held += take
            if held:
                rma.message_post(
                    body=self.env._(
                        "%(qty)s not shipped yet: taken off the delivery.", qty=int(held)
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _fenxiao_reject(self, reason):
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Please tell the shopper why."))
        rejected = self._fenxiao_move_review(OPEN_REVIEW, "rejected")
        if not rejected:
            raise UserError(self.env._("This request has already been answered."))
        rejected.write({"fenxiao_reject_reason": reason})
        rejected.action_cancel()
        rejected._fenxiao_notify("fenxiao_after_sales.mail_template_after_sales_rejected")
        return rejected

    def _fenxiao_ask_info(self, question):
        question = (question or "").strip()
        if not question:
            raise UserError(self.env._("Please tell the shopper what is missing."))
        asked = self._fenxiao_move_review(("pending",), "need_info")
        if not asked:
            raise UserError(self.env._("This request is not waiting for review."))
        asked.write({"fenxiao_info_request": question})
        asked._fenxiao_notify("fenxiao_after_sales.mail_template_after_sales_need_info")
        return asked

    def action_fenxiao_reject(self):
        return self._fenxiao_review_wizard("reject")

    def action_fenxiao_ask_info(self):
        return self._fenxiao_review_wizard("need_info")

    def _fenxiao_review_wizard(self, mode):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject") if mode == "reject" else self.env._("Ask for more"),
            "res_model": "fenxiao.after.sales.review",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rma_ids": self.ids, "default_mode": mode},
        }

    @api.model
    def _cron_fenxiao_auto_approve(self):
        """Approve the refund-only requests on orders not shipped yet that
        nobody answered in time (each on its own: one failing stops none)."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search(
            [("fenxiao_after_sales_auto_approve_hours", ">", 0)]
        ):
            limit = now - timedelta(hours=company.fenxiao_after_sales_auto_approve_hours)
            candidates = self.search(
                [
                    ("company_id", "=", company.id),
                    ("fenxiao_review", "=", "pending"),
                    ("fenxiao_kind", "=", "refund"),
                    ("date", "<=", limit),
                ]
            )
            for rma in candidates:
                if rma.fenxiao_order_id._fenxiao_after_sales_shipped():
                    continue
                try:
                    with self.env.cr.savepoint():
                        rma.message_post(
                            body=self.env._("Approved automatically: nobody answered in time."),
                            subtype_xmlid="mail.mt_note",
                        )
                        rma.action_fenxiao_approve()
                except Exception:
                    _logger.exception("Auto-approving after-sales request %s failed", rma.name)

    # ------------------------------------------------------------------
    # Refund through the provider that was paid
    # ------------------------------------------------------------------
    def _fenxiao_move_refund(self, from_states, to_state):
        if not self:
            return self
        self.flush_recordset(["fenxiao_refund_state"])
        self.env.cr.execute(
            "UPDATE rma SET fenxiao_refund_state = %s WHERE id = ANY(%s) "
            "AND fenxiao_refund_state = ANY(%s) RETURNING id",
            [to_state, self.ids, list(from_states)],
        )
        moved = self.browse(row[0] for row in self.env.cr.fetchall())
        self.invalidate_recordset(["fenxiao_refund_state"])
        return moved

    def _fenxiao_refund(self):
        """The credit note (rma's refund) and the money back through the
        order's online payment. Claimed by one conditional UPDATE, so that a
        request is refunded once however often it is asked."""
        for rma in self._fenxiao_move_refund(("none", "failed"), "refunding"):
            if not rma.refund_id and rma.can_be_refunded:
                rma.action_refund()
                # rma creates the credit note as superuser; approving the
                # request is what posts it, whatever the reviewer's
                # accounting rights
                credit_note = rma.sudo().refund_id
                if credit_note.state == "draft" and credit_note.reversed_entry_id:
                    credit_note.action_post()
            tx = rma.fenxiao_order_id._fenxiao_paid_transaction()
            if not tx or tx.provider_id.support_refund == "none":
                rma._fenxiao_refund_failed(
                    self.env._("The order was not paid online: refund it by hand.")
                )
                continue
            try:
                with self.env.cr.savepoint():
                    refund_tx = tx._send_refund_request(amount_to_refund=rma.fenxiao_amount)
            except (UserError, ValidationError) as error:
                rma._fenxiao_refund_failed(str(error))
                continue
            rma.fenxiao_refund_tx_id = refund_tx
            rma._fenxiao_sync_refund_state()

    def _fenxiao_refund_failed(self, message):
        self.ensure_one()
        self.fenxiao_refund_state = "failed"
        self.message_post(
            body=self.env._("The refund failed: %s", message), subtype_xmlid="mail.mt_note"
        )

    def _fenxiao_sync_refund_state(self):
        """Follow the refund transaction: done → refunded, error → failed."""
        for rma in self.filtered(lambda r: r.fenxiao_refund_state == "refunding"):
            tx = rma.sudo().fenxiao_refund_tx_id
            if tx.state == "done":
                rma.fenxiao_refund_state = "refunded"
                rma._fenxiao_notify("fenxiao_after_sales.mail_template_after_sales_refunded")
            elif tx.state in ("error", "cancel"):
                rma._fenxiao_refund_failed(tx.state_message or tx.state)

    def action_fenxiao_retry_refund(self):
        failed = self.filtered(lambda r: r.fenxiao_refund_state == "failed")
        if not failed:
            raise UserError(self.env._("Only a failed refund can be tried again."))
        failed._fenxiao_refund()
        return True

    def action_fenxiao_mark_refunded(self):
        """The money was given back outside the provider (bank transfer, cash)."""
        marked = self._fenxiao_move_refund(("failed",), "refunded")
        for rma in marked:
            rma.message_post(
                body=self.env._("Marked as refunded by hand."), subtype_xmlid="mail.mt_note"
            )
        marked._fenxiao_notify("fenxiao_after_sales.mail_template_after_sales_refunded")
        return True

    # ------------------------------------------------------------------
    # Return parcel received
    # ------------------------------------------------------------------
    def update_received_state_on_reception(self):
        result = super().update_received_state_on_reception()
        self.filtered("fenxiao_review")._fenxiao_notify(
            "fenxiao_after_sales.mail_template_after_sales_returned"
        )
        self.filtered(
            lambda r: r.fenxiao_review == "approved" and r.fenxiao_kind == "return"
        )._fenxiao_refund()
        return result

    # ------------------------------------------------------------------
    # Mails: once money moved, a failing mail undoes nothing
    # ------------------------------------------------------------------
    def _fenxiao_notify(self, template_xmlid):
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for rma in self.sudo():
            try:
                with self.env.cr.savepoint():
                    rma.message_post_with_source(
                        template, message_type="comment", subtype_xmlid="mail.mt_comment"
                    )
            except Exception:
                _logger.exception("Mail %s of %s failed", template_xmlid, rma.name)
                rma.message_post(
                    body=self.env._(
                        "The mail “%s” could not be sent to the shopper.", template.name
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _fenxiao_portal_messages(self):
        """The timeline the shopper sees: public messages, oldest first."""
        self.ensure_one()
        return (
            self.sudo()
            .message_ids.filtered(
                lambda m: m.message_type in ("comment", "email")
                and m.subtype_id
                and not m.subtype_id.internal
            )
            .sorted("id")
        )

    def _fenxiao_return_address(self):
        self.ensure_one()
        partner = self.sudo().warehouse_id.partner_id or self.company_id.partner_id
        return partner

    def _fenxiao_photos(self):
        self.ensure_one()
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("mimetype", "=like", "image/%"),
                ]
            )
        )

    def _get_sale_line(self):
        """A refund-only request has no delivery move: its line is its own."""
        return super()._get_sale_line() or self.sudo().fenxiao_sale_line_id
