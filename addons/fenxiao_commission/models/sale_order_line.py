from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _fenxiao_given_back_ratio(self):
        """{line: share of the line given back to the customer, 0..1}.

        The largest of: cancelled (all of it), credited by posted credit notes,
        refunded through the payment provider (spread over the whole order)
        and returned to stock.
        """
        ratios = {}
        for line in self:
            order = line.order_id
            if order.state == "cancel":
                ratios[line] = 1.0
                continue
            shares = [0.0]
            if line.price_subtotal:
                credited = sum(
                    invoice_line.price_subtotal
                    for invoice_line in line.invoice_lines
                    if invoice_line.move_id.state == "posted"
                    and invoice_line.move_id.move_type == "out_refund"
                )
                shares.append(credited / line.price_subtotal)
            if order.amount_total:
                refunded = sum(
                    -tx.amount
                    for tx in order.transaction_ids.child_transaction_ids
                    if tx.operation == "refund" and tx.state == "done"
                )
                shares.append(refunded / order.amount_total)
            if line.product_uom_qty:
                _outgoing, incoming = line._get_outgoing_incoming_moves()
                returned = sum(
                    move.product_uom._compute_quantity(move.quantity, line.product_uom)
                    for move in incoming
                    if move.state == "done"
                )
                shares.append(returned / line.product_uom_qty)
            ratios[line] = min(max(shares), 1.0)
        return ratios
