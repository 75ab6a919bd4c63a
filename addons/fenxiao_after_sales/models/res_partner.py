from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # OCA rma counts a contact's returns with the user's rights, and lists
    # them without groups: anyone without RMA rights (a salesperson, an
    # accountant) could then not open a contact at all. The returns are for
    # those who handle them; the count is harmless for everyone.
    rma_ids = fields.One2many(groups="rma.rma_group_user_own")
    rma_count = fields.Integer(compute_sudo=True)
