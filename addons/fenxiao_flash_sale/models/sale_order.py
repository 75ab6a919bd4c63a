from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # The shop's cart
    # ------------------------------------------------------------------
    def _fenxiao_flash_sale_for(self, order_line, product_id):
        """The flash sale a cart change of ``product_id`` goes through, if any:
        the line's own, or the sale running now for a new line. A line put in
        the cart at the normal price (before the sale began) stays normal."""
        if order_line:
            return order_line.fenxiao_flash_sale_id.sudo()
        product = self.env["product.product"].browse(product_id)
        sale = self.env["fenxiao.flash.sale"]._fenxiao_current(product, self.website_id)
        return sale.get(product_id) or self.env["fenxiao.flash.sale"]

    def _fenxiao_is_anonymous_cart(self):
        return self.env.user._is_public() or (
            self.website_id and self.partner_id == self.website_id.partner_id
        )

    def _verify_updated_quantity(self, order_line, product_id, new_qty, **kwargs):
        """For a product in a flash sale: signed-in shoppers only, clipped to the
        shopper's limit and to what is left, and the units taken at once (see
        ``fenxiao.flash.sale._fenxiao_take`` and
        ``fenxiao.flash.sale.reservation._fenxiao_take_units``)."""
        quantity, warning = super()._verify_updated_quantity(
            order_line, product_id, new_qty, **kwargs
        )
        sale = self._fenxiao_flash_sale_for(order_line, product_id)
        if not sale or not self.website_id:
            return quantity, warning
        if self._fenxiao_is_anonymous_cart():
            return 0, self.env._("Please sign in to join the flash sale.")
        if quantity <= 0:
            # removed anyway: unlinking the line gives its units back
            return quantity, warning
        reservation = order_line._fenxiao_live_reservation() if order_line else None
        held = reservation.quantity if reservation else 0
        # The shopper's units in this sale on other lines and orders, from
        # their count (fenxiao.flash.sale.shopper). Read before taking units,
        # and still true at commit: every take of this shopper updates that
        # count in the same transaction, so two concurrent requests of theirs
        # conflict on it and the later one is retried with a fresh snapshot,
        # which sees the other's units. (Other shoppers' takes touch other
        # rows: the stock slots do not serialise the sale's takers.)
        partner = self.partner_id
        counted = self.env["fenxiao.flash.sale.shopper"].sudo()._fenxiao_held(sale, partner)
        others = counted - (held if reservation and reservation.partner_id == partner else 0)
        allowed = min(
            int(quantity),
            sale.limit_per_shopper - others,
            sale.quantity_cap - sale.quantity_reserved + held,
        )
        if allowed < quantity:
            if sale.quantity_cap - sale.quantity_reserved + held <= 0:
                warning = self.env._("Sold out: the flash sale has no units left.")
            elif sale.limit_per_shopper - others <= allowed:
                warning = self.env._(
                    "You can buy at most %(limit)s of this item in the flash sale.",
                    limit=sale.limit_per_shopper,
                )
            else:
                warning = self.env._("Only %(left)s left in the flash sale.", left=max(allowed, 0))
        if allowed <= 0:
            if not order_line:
                return 0, warning
            # nothing more allowed: keep what the line holds
            return held, warning
        if reservation:
            taken = reservation._fenxiao_resize(allowed)
        else:
            Reservation = self.env["fenxiao.flash.sale.reservation"].sudo()
            taken = Reservation._fenxiao_reserve(sale, self, allowed)
        if not taken:
            # sold out or ended since the page was shown
            return held, self.env._("Sold out: the flash sale has no units left.")
        return allowed, warning

    def _prepare_order_line_values(self, product_id, quantity, **kwargs):
        values = super()._prepare_order_line_values(product_id, quantity, **kwargs)
        pending = self._fenxiao_pending_reservation(values["product_id"])
        if pending:
            values["fenxiao_flash_sale_id"] = pending.flash_sale_id.id
        return values

    def _fenxiao_pending_reservation(self, product_id):
        """The reservation just made for a line about to be created."""
        return (
            self.env["fenxiao.flash.sale.reservation"]
            .sudo()
            .search(
                [
                    ("order_id", "=", self.id),
                    ("order_line_id", "=", False),
                    ("state", "=", "reserved"),
                    ("flash_sale_id.product_id", "=", product_id),
                ],
                limit=1,
            )
        )

    def _cart_update_order_line(self, product_id, quantity, order_line, **kwargs):
        line = super()._cart_update_order_line(product_id, quantity, order_line, **kwargs)
        if line and line.fenxiao_flash_sale_id and not line._fenxiao_live_reservation():
            self._fenxiao_pending_reservation(line.product_id.id).order_line_id = line
        return line

    # ------------------------------------------------------------------
    # Paid, cancelled, deleted
    # ------------------------------------------------------------------
    def _fenxiao_flash_reservations(self):
        return (
            self.env["fenxiao.flash.sale.reservation"]
            .sudo()
            .search([("order_id", "in", self.ids), ("state", "in", ("reserved", "sold"))])
        )

    def action_confirm(self):
        result = super().action_confirm()
        # Only orders with a flash-sale line hold reservations (the cart sets
        # the line's flash sale with its reservation): the others, almost
        # every order, cost no search on their confirmation.
        confirmed = self.filtered(
            lambda o: o.state == "sale" and o.order_line.fenxiao_flash_sale_id
        )
        confirmed._fenxiao_flash_reservations().filtered(lambda r: r.state == "reserved").write(
            {"state": "sold"}
        )
        return result

    def _action_cancel(self):
        # an order cancelled (unpaid in time, or by the shop) sold nothing
        self._fenxiao_flash_reservations()._fenxiao_release()
        return super()._action_cancel()

    def unlink(self):
        self._fenxiao_flash_reservations()._fenxiao_release()
        return super().unlink()
