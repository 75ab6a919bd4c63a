from odoo.http import request, route

from odoo.addons.website_sale.controllers.main import WebsiteSale


class WebsiteSaleAddressCn(WebsiteSale):
    """The address form of a Chinese shop for an address in China: recipient,
    mobile, province, city and street required; e-mail and zip optional; no
    company or VAT for a private shopper. Any other address keeps Odoo's form
    and checks."""

    def _prepare_address_form_values(self, order_sudo, partner_sudo, *args, **kwargs):
        values = super()._prepare_address_form_values(order_sudo, partner_sudo, *args, **kwargs)
        website = order_sudo.website_id or request.website
        china = website._address_cn_country()
        if not china:
            return values
        if not partner_sudo.country_id and values["country"] != china:
            values.update(country=china, country_states=china.state_ids)
        if not website._address_cn_applies(values["country"]):
            return values
        if partner_sudo:
            prefill = partner_sudo._address_cn_prefill()
        elif not values["is_anonymous_cart"]:
            # a new address of a signed-in shopper: someone else may receive
            # it, the shopper's mobile is still the likeliest
            prefill = dict(order_sudo.partner_id._address_cn_prefill(), name="")
        else:
            prefill = {"name": "", "phone": ""}
        values.update(
            address_cn=True,
            address_cn_name=prefill["name"],
            address_cn_phone=prefill["phone"],
            address_cn_cities=request.env["res.city"]
            .sudo()
            ._address_cn_names(request.env["res.country.state"].browse(values["state_id"])),
            # a company is asked for its name and tax ID; a private shopper is not
            show_vat=values["show_vat"] and bool(partner_sudo.commercial_company_name),
        )
        return values

    @route(
        "/shop/address_cn/cities",
        type="json",
        auth="public",
        methods=["POST"],
        website=True,
        readonly=True,
    )
    def address_cn_cities(self, state_id=None, **_kwargs):
        """The city names to suggest for a province of the address form."""
        try:
            state_id = int(state_id)
        except (TypeError, ValueError, OverflowError):
            return []
        if not 0 < state_id < 2**31:  # a database id, not a number to query with
            return []
        state = request.env["res.country.state"].browse(state_id).exists()
        return request.env["res.city"].sudo()._address_cn_names(state)

    def _address_cn_applies(self, country_sudo):
        # outside a website request (no request.website) Odoo's rules stand
        website = getattr(request, "website", None)
        return bool(website) and website._address_cn_applies(country_sudo)

    def _get_mandatory_address_fields(self, country_sudo):
        field_names = super()._get_mandatory_address_fields(country_sudo)
        if self._address_cn_applies(country_sudo):
            # parcels go by province and city (Odoo already asks a phone);
            # few know their 邮编
            field_names = (field_names - {"zip"}) | {"state_id"}
        return field_names

    def _get_mandatory_billing_address_fields(self, country_sudo):
        field_names = super()._get_mandatory_billing_address_fields(country_sudo)
        if self._address_cn_applies(country_sudo):
            # a shopper signed in with a mobile number has no e-mail to give
            field_names.discard("email")
        return field_names
