/** @odoo-module **/

import { rpc } from "@web/core/network/rpc";
import websiteSaleAddress from "@website_sale/js/address";

// The Chinese address form: the city line is chosen from two lists, the
// prefectures (市) of the province, then the counties (区/县) of the
// prefecture. Choosing another country brings back Odoo's city field.
websiteSaleAddress.include({
    events: Object.assign({}, websiteSaleAddress.prototype.events, {
        "change select[name='address_cn_prefecture_id']": "_onChangeCnPrefecture",
    }),

    async _changeCountry() {
        await this._super(...arguments);
        const divisions = this.addressForm.querySelector("#o_cn_divisions");
        if (!divisions) {
            return;
        }
        const china = this.addressForm.country_id.value === divisions.dataset.countryId;
        this.addressForm.dataset.addressFormat = china ? "cn" : "";
        this.addressForm.city.type = china ? "hidden" : "text";
        divisions.classList.toggle("d-none", !china);
        for (const select of divisions.querySelectorAll("select")) {
            // a disabled list is not sent: the server keeps Odoo's city field
            select.disabled = !china;
        }
        const label = this.addressForm.querySelector("label[for='o_city'], label[for='o_cn_prefecture']");
        label?.setAttribute("for", china ? "o_cn_prefecture" : "o_city");
    },

    async _onChangeState() {
        await this._super(...arguments);
        const prefecture = this.addressForm.querySelector("#o_cn_prefecture");
        if (!prefecture) {
            return;
        }
        const stateId = parseInt(this.addressForm.state_id.value);
        const options = stateId
            ? await rpc("/shop/address_cn/divisions", { state_id: stateId })
            : [];
        this._fillCnOptions(prefecture, options);
        this._fillCnOptions(this.addressForm.querySelector("#o_cn_county"), []);
    },

    async _onChangeCnPrefecture() {
        const stateId = parseInt(this.addressForm.state_id.value);
        const prefectureId = parseInt(this.addressForm.address_cn_prefecture_id.value);
        const options =
            stateId && prefectureId
                ? await rpc("/shop/address_cn/divisions", {
                      state_id: stateId,
                      prefecture_id: prefectureId,
                  })
                : [];
        this._fillCnOptions(this.addressForm.querySelector("#o_cn_county"), options);
    },

    _fillCnOptions(select, options) {
        // keep the placeholder ("City...", "District / County...")
        select.options.length = 1;
        for (const [id, name] of options) {
            select.appendChild(new Option(name, id));
        }
    },
});
