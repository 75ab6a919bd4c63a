from odoo import models


class Website(models.Model):
    _inherit = "website"

    def _address_cn_country(self):
        """China, when this website sells from China (its company is there):
        the country the address form starts on and adapts to. Empty otherwise,
        and the form stays Odoo's."""
        self.ensure_one()
        country = self.company_id.country_id
        return country if country.code == "CN" else country.browse()

    def _address_cn_applies(self, country):
        """Whether an address in ``country`` takes the Chinese form here: a
        Chinese shop, an address in China. Other addresses keep Odoo's rules."""
        self.ensure_one()
        return bool(country) and country == self._address_cn_country()
