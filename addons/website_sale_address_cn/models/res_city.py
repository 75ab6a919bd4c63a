from odoo import api, models


class ResCity(models.Model):
    _inherit = "res.city"

    @api.model
    def _address_cn_names(self, state):
        """The names of the cities and counties of a Chinese province
        (l10n_cn_city: 杭州市西湖区, 杭州市萧山区, …), offered as the shopper types
        the city: suggestions, as the list predates some renamings."""
        if state.country_id.code != "CN":
            return []
        return self.search([("state_id", "=", state.id)], order="name").mapped("name")
