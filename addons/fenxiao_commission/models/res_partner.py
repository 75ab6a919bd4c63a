from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _increase_rank(self, field, n=1):
        # A settlement posts one payable line per distributor: gather the
        # rank increases and apply them in one statement afterwards.
        ranks = self.env.context.get("fenxiao_partner_ranks")
        if ranks is not None and self.ids:
            ranks.add(field, n, self.ids)
            return
        return super()._increase_rank(field, n)
