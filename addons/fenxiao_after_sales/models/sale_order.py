from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # rma_sale counts returns with the user's rights: a salesperson without RMA
    # rights could then not open a sale order at all (see res_partner.py).
    rma_ids = fields.One2many(groups="rma.rma_group_user_own")
    rma_count = fields.Integer(compute_sudo=True)
    fenxiao_rma_ids = fields.One2many(
        "rma",
        "fenxiao_order_id",
        string="After-sales Requests",
        readonly=True,
        groups="rma.rma_group_user_own",
    )

    def _fenxiao_after_sales_received_date(self):
        """When the shopper received the goods, the day the after-sales window
        (and the commission freeze) counts from: the deliveries' start as
        ``stock.picking._fenxiao_after_sales_start`` gives it (a tracked
        parcel's receipt, signed for or confirmed; an untracked delivery's
        shipping). None while nothing shipped or a parcel is on its way."""
        self.ensure_one()
        done = self.sudo().picking_ids.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing"
        )
        starts = done._fenxiao_after_sales_start()
        if not starts or None in starts.values():
            return None
        return max(starts.values())

    def _fenxiao_after_sales_shipped(self):
        self.ensure_one()
        return any(
            p.state == "done" and p.picking_type_code == "outgoing" for p in self.sudo().picking_ids
        )

    def _fenxiao_paid_transaction(self):
        """The done online payment of the order, through which refunds go."""
        self.ensure_one()
        return (
            self.sudo()
            .transaction_ids.filtered(lambda tx: tx.state == "done" and tx.operation != "refund")
            .sorted("id")[:1]
        )


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _fenxiao_paid_amount(self):
        """What the shopper paid for this line: its total less its share of
        the order's discount lines (negative lines, such as a 满减
        promotion's), shared among the goods by their totals. The last line
        takes what rounding leaves, so that the shares add up to what the
        goods cost. Shipping is neither shared nor discounted."""
        self.ensure_one()
        order = self.order_id
        goods = order.order_line.filtered(
            lambda sol: not sol.display_type and not sol.is_delivery and sol.price_total > 0
        ).sorted("id")
        discount = -sum(
            order.order_line.filtered(
                lambda sol: not sol.display_type and not sol.is_delivery and sol.price_total < 0
            ).mapped("price_total")
        )
        if self not in goods or not discount:
            return self.price_total
        currency = order.currency_id
        gross = sum(goods.mapped("price_total"))
        net = max(gross - discount, 0.0)
        shared = 0.0
        for line in goods[:-1]:
            share = currency.round(line.price_total * net / gross)
            if line == self:
                return share
            shared += share
        return currency.round(net - shared)
