from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # OCA rma counts a transfer's returns with the user's rights: a warehouse
    # clerk without RMA rights could not open a delivery (see res_partner.py).
    rma_count = fields.Integer(compute_sudo=True)
