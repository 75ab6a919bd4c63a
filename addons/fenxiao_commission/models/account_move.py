from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        orders = self.filtered(lambda move: move.move_type == "out_invoice").line_ids.sale_line_ids
        orders.order_id._fenxiao_mark_paid_and_earn()
        return result

    def _post(self, soft=True):
        posted = super()._post(soft)
        for credit_note in posted.filtered(lambda move: move.move_type == "out_refund"):
            orders = credit_note.line_ids.sale_line_ids.order_id
            self.env["fenxiao.commission.line"]._reverse(
                orders, "credit_note", origin=credit_note.name
            )
        return posted
