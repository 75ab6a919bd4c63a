from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    fenxiao_paid_date = fields.Datetime(
        string="Paid On",
        copy=False,
        readonly=True,
        help="When the order was fully paid and its commission recorded.",
    )
    # The distribution team's: a salesperson reading an order must not need
    # access to the commission ledger.
    fenxiao_commission_line_ids = fields.One2many(
        "fenxiao.commission.line",
        "order_id",
        string="Commission",
        readonly=True,
        groups="fenxiao.group_fenxiao_user",
    )
    fenxiao_commission_total = fields.Monetary(
        string="Commission Total",
        compute="_compute_fenxiao_commission_total",
        groups="fenxiao.group_fenxiao_user",
    )

    def _compute_fenxiao_commission_total(self):
        totals = dict(
            self.env["fenxiao.commission.line"]
            .sudo()
            ._read_group([("order_id", "in", self.ids)], ["order_id"], ["amount:sum"])
        )
        for order in self:
            order.fenxiao_commission_total = totals.get(order, 0.0)

    # ------------------------------------------------------------------
    # Triggers: the ledger (fenxiao.commission.line) earns and reverses
    # ------------------------------------------------------------------
    def _action_confirm(self):
        result = super()._action_confirm()
        # An order paid online before it was confirmed (the website's flow).
        self._fenxiao_mark_paid_and_earn()
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self.env["fenxiao.commission.line"]._reverse(self, "cancel")
        return result

    def _fenxiao_mark_paid_and_earn(self):
        """Mark the orders of ``self`` that are now fully paid, and earn their commission.

        Idempotent: the paid date is set by one conditional UPDATE, so of two
        notifications of the same payment (even concurrent ones: the second
        waits for the first's row lock) only one earns; a unique exclusion on
        the ledger guards it again. Returns the orders newly marked paid.
        """
        candidates = self.filtered(
            lambda order: order.state == "sale"
            and not order.fenxiao_paid_date
            and order.sudo().fenxiao_distributor_id
        )
        paid = candidates.filtered(lambda order: order._fenxiao_is_fully_paid())
        if not paid:
            return self.browse()
        paid.flush_recordset(["fenxiao_paid_date"])
        self.env.cr.execute(
            "UPDATE sale_order SET fenxiao_paid_date = now() at time zone 'UTC' "
            "WHERE id = ANY(%s) AND fenxiao_paid_date IS NULL RETURNING id, fenxiao_paid_date",
            [paid.ids],
        )
        rows = self.env.cr.fetchall()
        newly_paid = self.browse(row[0] for row in rows)
        # The date as written, into the cache: reading it back would cost a
        # query (and one with every prefetched field of the order). The
        # orders that lost the race keep theirs out of the cache, read anew.
        paid.invalidate_recordset(["fenxiao_paid_date"])
        self.env.cache.update(
            newly_paid, self._fields["fenxiao_paid_date"], [row[1] for row in rows]
        )
        Ledger = self.env["fenxiao.commission.line"]
        Ledger._earn(newly_paid)
        # A credit note posted before the payment was complete gives part back
        # already (and may be what settled the invoice).
        credited = newly_paid.filtered(
            lambda order: any(
                move.move_type == "out_refund" and move.state == "posted"
                for move in order.invoice_ids
            )
        )
        Ledger._reverse(credited, "credit_note")
        return newly_paid
