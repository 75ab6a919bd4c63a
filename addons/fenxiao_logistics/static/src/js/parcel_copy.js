/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";
import { browser } from "@web/core/browser/browser";

// The copy button next to a tracking number on the order page: the number
// goes to the clipboard, to paste into the carrier's app.
publicWidget.registry.FenxiaoParcelCopy = publicWidget.Widget.extend({
    selector: ".o_fenxiao_parcels",
    events: {
        "click .o_fenxiao_parcel_copy": "_onCopy",
    },

    async _onCopy(ev) {
        const button = ev.currentTarget;
        try {
            await browser.navigator.clipboard.writeText(button.dataset.copy);
            button.textContent = _t("Copied");
        } catch {
            button.textContent = _t("Copy failed: select the number");
        }
    },
});
