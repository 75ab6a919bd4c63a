from odoo import api, fields, models


class AddressCnDivision(models.Model):
    """A prefecture (地级: 杭州市) or county (县级: 临平区) of mainland China,
    with its GB/T 2260 code, from the statistics' published list
    (data/address.cn.division.csv, made by scripts/update_cn_divisions): what
    the address form offers as 市 and 区/县."""

    _name = "address.cn.division"
    _description = "Chinese Prefecture or County"
    _order = "code"
    _rec_names_search = ["name", "code"]

    code = fields.Char(required=True, index=True, help="GB/T 2260 code, e.g. 330113")
    name = fields.Char(required=True)
    level = fields.Selection(
        [("prefecture", "Prefecture (市)"), ("county", "County or district (区/县)")],
        required=True,
    )
    parent_id = fields.Many2one("address.cn.division", string="Prefecture", index=True)
    state_id = fields.Many2one("res.country.state", string="Province", required=True, index=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "unique(code)", "A division's code is unique.")]

    @api.model
    def _address_cn_options(self, state, prefecture=None):
        """The (id, name) pairs the form lists: the prefectures of ``state``,
        or the counties of ``prefecture`` when it belongs to ``state``."""
        domain = [("state_id", "=", state.id)]
        if prefecture is None:
            domain.append(("level", "=", "prefecture"))
        elif prefecture.level == "prefecture" and prefecture.state_id == state:
            domain += [("level", "=", "county"), ("parent_id", "=", prefecture.id)]
        else:
            return []
        return [(division.id, division.name) for division in self.search(domain)]

    def _address_cn_city(self):
        """The city line of an address in this county, written as a parcel
        label writes it after the province: 杭州市临平区; a municipality's
        district (北京市 is the province line) and a city the province governs
        itself (湖北省仙桃市) or one without districts (广东省东莞市) once."""
        self.ensure_one()
        prefecture = self.parent_id
        # GB/T 2260 gives the province-governed cities the prefecture code 90
        if prefecture.name in (self.state_id.name, self.name) or prefecture.code[2:4] == "90":
            return self.name
        return prefecture.name + self.name
