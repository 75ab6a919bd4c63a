/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";

// The distributor centre: copy the invitation link, and filters that apply
// as soon as they change (no submit button to find on a phone).
publicWidget.registry.FenxiaoCopyLink = publicWidget.Widget.extend({
    selector: ".o_fenxiao_copy",
    events: { "click .o_fenxiao_copy_btn": "_onCopy" },

    async _onCopy(ev) {
        ev.preventDefault();
        const input = this.el.querySelector("input");
        input.select();
        // WeChat's browser may lack the clipboard API: the link stays selected
        // for a long press.
        if (navigator.clipboard) {
            try {
                await navigator.clipboard.writeText(input.value);
                ev.currentTarget.classList.replace("btn-primary", "btn-success");
            } catch {
                // keep the selection
            }
        }
    },
});

publicWidget.registry.FenxiaoLedgerFilters = publicWidget.Widget.extend({
    selector: ".o_fenxiao_ledger_filters",
    events: { "change select, input": "_onChange" },

    _onChange() {
        this.el.submit();
    },
});
