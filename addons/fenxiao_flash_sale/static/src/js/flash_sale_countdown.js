/** @odoo-module **/

import { _t } from "@web/core/l10n/translation";
import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * The flash-sale countdown on product cards and pages.
 *
 * Counts to the sale's start (scheduled) or end (running), from the dates the
 * server rendered in UTC; the server's "now" corrects the phone's clock, which
 * is often minutes off. When the moment comes the page is loaded again once,
 * for the server to show the sale's new state (and price).
 */
publicWidget.registry.FenxiaoFlashSaleCountdown = publicWidget.Widget.extend({
    selector: ".o_fenxiao_flash[data-date-end]",

    start() {
        const data = this.el.dataset;
        this.target = Date.parse(data.state === "scheduled" ? data.dateStart : data.dateEnd);
        const serverNow = Date.parse(data.now);
        this.offset = Number.isNaN(serverNow) ? 0 : serverNow - Date.now();
        this.clock = this.el.querySelector(".o_fenxiao_flash_clock");
        if (this.clock && !Number.isNaN(this.target) && data.state !== "sold_out") {
            this._tick();
            this.interval = setInterval(() => this._tick(), 1000);
        }
        return this._super(...arguments);
    },

    destroy() {
        clearInterval(this.interval);
        this._super(...arguments);
    },

    _tick() {
        const left = Math.max(0, Math.floor((this.target - Date.now() - this.offset) / 1000));
        const days = Math.floor(left / 86400);
        const pad = (n) => String(n).padStart(2, "0");
        const hms = `${pad(Math.floor((left % 86400) / 3600))}:${pad(
            Math.floor((left % 3600) / 60)
        )}:${pad(left % 60)}`;
        this.clock.textContent = days ? _t("%(days)sd %(time)s", { days, time: hms }) : hms;
        if (left === 0) {
            clearInterval(this.interval);
            // once per sale and state: a clock still off cannot loop reloads
            const key = `fenxiao_flash_${this.el.dataset.saleId}_${this.el.dataset.state}`;
            if (!sessionStorage.getItem(key)) {
                sessionStorage.setItem(key, "1");
                setTimeout(() => window.location.reload(), 1000);
            }
        }
    },
});

export default publicWidget.registry.FenxiaoFlashSaleCountdown;
