from odoo import fields, models


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
        # A confirmed order is a paid one for the network until the payment
        # flows arrive: website orders are confirmed by their payment.
        result = super()._action_confirm()
        # sudo: whoever confirms (a salesperson) need not read the referral
        for order in self.sudo():
            partner = order.partner_id.commercial_partner_id
            if order.fenxiao_referral_code:
                partner._fenxiao_bind_by_code(order.fenxiao_referral_code, "first_order")
            if not partner.fenxiao_self_distributor_id:
                partner._fenxiao_onboard("confirmed_order")
            credited = partner.fenxiao_self_distributor_id or partner.fenxiao_distributor_id
            if credited and not order.fenxiao_distributor_id:
                order.fenxiao_distributor_id = credited
        return result
