from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _increase_rank(self, field, n=1):
        # A settlement posts one payable line per distributor and raises
        # their ranks itself afterwards, in one statement.
        if self.env.context.get("fenxiao_skip_partner_ranks"):
            return None
        return super()._increase_rank(field, n)
