/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";

// Sign in with a mobile number: "Get code" sends the SMS, then counts down
// until another code may be asked for.
publicWidget.registry.PhoneOtpLogin = publicWidget.Widget.extend({
    selector: ".o_phone_otp_form",
    events: { "click .o_phone_otp_send": "_onSend" },

    destroy() {
        clearInterval(this.countdown);
        this._super(...arguments);
    },

    _showError(message) {
        const error = this.el.querySelector(".o_phone_otp_error");
        error.textContent = message || "";
        error.classList.toggle("d-none", !message);
    },

    async _onSend(ev) {
        ev.preventDefault();
        const button = ev.currentTarget;
        const phone = this.el.querySelector("input[name='phone']").value;
        if (!/^\s*(\+?86)?[\s-]*1[3-9](\d[\s-]*){9}$/.test(phone)) {
            this._showError(_t("Enter a mainland China mobile number: 11 digits, starting with 1."));
            return;
        }
        button.disabled = true;
        let result;
        try {
            result = await rpc(this.el.dataset.sendUrl, { phone });
        } catch {
            result = { error: _t("The network is unreachable: try again.") };
        }
        if (result.error) {
            this._showError(result.error);
            button.disabled = false;
            return;
        }
        this._showError("");
        this.el.querySelector(".o_phone_otp_sent").classList.remove("d-none");
        this.el.querySelector("input[name='code']").focus();
        let left = result.resend_in || 60;
        const label = button.textContent;
        button.textContent = _t("%s s", left);
        this.countdown = setInterval(() => {
            left -= 1;
            if (left <= 0) {
                clearInterval(this.countdown);
                button.textContent = label;
                button.disabled = false;
            } else {
                button.textContent = _t("%s s", left);
            }
        }, 1000);
    },
});
