/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";

publicWidget.registry.FenxiaoShareCart = publicWidget.Widget.extend({
    selector: ".o_fenxiao_share_cart",
    events: {
        "click .o_fenxiao_share_cart_btn": "_onShare",
        "click .o_fenxiao_share_cart_copy": "_onCopy",
    },

    async _onShare(ev) {
        ev.preventDefault();
        const result = await rpc("/shop/cart/share", {});
        const input = this.el.querySelector("input");
        input.value = result.url || result.error;
        this.el.dataset.shared = result.url ? "link" : "error";
        this.el.querySelector(".o_fenxiao_share_cart_link").classList.remove("d-none");
        this.el.querySelector(".o_fenxiao_share_cart_hint").classList.remove("d-none");
        input.select();
    },

    async _onCopy(ev) {
        ev.preventDefault();
        const input = this.el.querySelector("input");
        input.select();
        // Inside WeChat's browser the clipboard API may be missing: the link
        // stays selected for a long press.
        if (navigator.clipboard) {
            await navigator.clipboard.writeText(input.value).catch(() => {});
        }
    },
});

export default publicWidget.registry.FenxiaoShareCart;
