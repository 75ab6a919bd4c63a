/** @odoo-module **/

import { rpc } from "@web/core/network/rpc";
import websiteSaleAddress from "@website_sale/js/address";

// The Chinese address form suggests the cities and counties of the chosen
// province as the shopper types the city (a datalist: any name is accepted).
websiteSaleAddress.include({
    async _onChangeState() {
        await this._super(...arguments);
        const datalist = this.addressForm.querySelector("#o_city_cn");
        if (!datalist) {
            return;
        }
        const stateId = parseInt(this.addressForm.state_id.value);
        const names = stateId
            ? await rpc("/shop/address_cn/cities", { state_id: stateId })
            : [];
        datalist.replaceChildren(...names.map((name) => new Option("", name)));
    },
});
