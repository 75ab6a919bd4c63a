from odoo import fields, models
from odoo.tools.translate import code_translations

# the name auth_phone_otp gives an account created by a first SMS sign-in
PLACEHOLDER_NAME = "User %(last_digits)s"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The county the address form chose: its city line is written from it
    # (杭州市临平区), and the form opens on it again next time.
    address_cn_division_id = fields.Many2one(
        "address.cn.division",
        string="District (区/县)",
        domain=[("level", "=", "county")],
        index="btree_not_null",
    )

    def _address_cn_placeholder_names(self):
        """The names a phone sign-up may have given this partner (用户5678,
        User 5678, in any installed language): no one's real name, so the
        address form does not offer them as the recipient."""
        self.ensure_one()
        phone = self.user_ids.filtered("login_phone")[:1].login_phone
        if not phone:
            return set()
        sources = {PLACEHOLDER_NAME} | {
            code_translations.get_python_translations("auth_phone_otp", lang).get(
                PLACEHOLDER_NAME, PLACEHOLDER_NAME
            )
            for lang, _name in self.env["res.lang"].get_installed()
        }
        return {source % {"last_digits": phone[-4:]} for source in sources}

    def _address_cn_prefill(self):
        """The recipient's name and mobile the address form starts with: the
        name unless it is a sign-up placeholder, the phone, else the mobile,
        else the number the shopper signs in with."""
        self.ensure_one()
        name = self.name if self.name not in self._address_cn_placeholder_names() else ""
        phone = (
            self.phone or self.mobile or self.user_ids.filtered("login_phone")[:1].login_phone or ""
        )
        return {"name": name, "phone": phone, "division": self.address_cn_division_id}
