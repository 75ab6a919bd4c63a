from odoo.http import request, route

from odoo.addons.website_sale.controllers.main import WebsiteSale


def _database_id(value):
    """``value`` as a database id, or 0: a form or JSON value may be anything."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        return 0
    return value if 0 < value < 2**31 else 0


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
        # the script switches the form to Chinese when China is chosen
        values["address_cn_country"] = china
        if not website._address_cn_applies(values["country"]):
            return values
        Division = request.env["address.cn.division"].sudo()
        if partner_sudo:
            prefill = partner_sudo._address_cn_prefill()
        elif not values["is_anonymous_cart"]:
            # a new address of a signed-in shopper: someone else may receive
            # it, the shopper's mobile is still the likeliest
            prefill = dict(order_sudo.partner_id._address_cn_prefill(), name="", division=Division)
        else:
            prefill = {"name": "", "phone": "", "division": Division}
        state = request.env["res.country.state"].sudo().browse(values["state_id"])
        county = prefill["division"].sudo().filtered(lambda county: county.state_id == state)
        values.update(
            address_cn=True,
            address_cn_name=prefill["name"],
            address_cn_phone=prefill["phone"],
            address_cn_county=county,
            address_cn_prefectures=Division._address_cn_options(state) if state else [],
            address_cn_counties=(
                Division._address_cn_options(state, county.parent_id) if county else []
            ),
            # a company is asked for its name and tax ID; a private shopper is not
            show_vat=values["show_vat"] and bool(partner_sudo.commercial_company_name),
        )
        return values

    @route(
        "/shop/address_cn/divisions",
        type="json",
        auth="public",
        methods=["POST"],
        website=True,
        readonly=True,
    )
    def address_cn_divisions(self, state_id=None, prefecture_id=None, **_kwargs):
        """The prefectures of a province, or the counties of one of its
        prefectures, as ``[id, name]`` pairs for the form's lists."""
        state_id = _database_id(state_id)
        state = state_id and request.env["res.country.state"].browse(state_id).exists()
        if not state:
            return []
        Division = request.env["address.cn.division"].sudo()
        if prefecture_id is None:
            return Division._address_cn_options(state)
        prefecture_id = _database_id(prefecture_id)
        if not prefecture_id:
            return []
        return Division._address_cn_options(state, Division.browse(prefecture_id).exists())

    def _parse_form_data(self, form_data):
        """An address in China takes its city line from the county chosen in
        the form's lists (杭州市临平区), never from free text; without a valid
        county of the chosen province the city stays empty, and the form asks
        for it. Data that does not come from the form (no county field, such
        as an express checkout's) keeps Odoo's handling."""
        address_values, extra_form_data = super()._parse_form_data(form_data)
        extra_form_data.pop("address_cn_prefecture_id", None)
        county_id = extra_form_data.pop("address_cn_division_id", None)
        if "address_cn_division_id" not in form_data:
            return address_values, extra_form_data
        country = request.env["res.country"].browse(address_values.get("country_id"))
        if not self._address_cn_applies(country.exists()):
            return address_values, extra_form_data
        county = request.env["address.cn.division"].sudo().browse(_database_id(county_id))
        county = county.exists()
        if county.level == "county" and county.state_id.id == address_values.get("state_id"):
            address_values.update(city=county._address_cn_city(), address_cn_division_id=county.id)
        else:
            address_values.update(city="", address_cn_division_id=False)
        return address_values, extra_form_data

    def _validate_address_values(self, address_values, *args, **kwargs):
        invalid_fields, missing_fields, error_messages = super()._validate_address_values(
            address_values, *args, **kwargs
        )
        if "address_cn_division_id" in address_values and "city" in missing_fields:
            # the city line is the county chosen: point at its list
            missing_fields = (missing_fields - {"city"}) | {"address_cn_division_id"}
        return invalid_fields, missing_fields, error_messages

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
