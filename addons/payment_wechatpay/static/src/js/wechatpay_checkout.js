/** @odoo-module **/
/* The WeChat Pay checkout page: wait for the notification (polling the
 * transaction's state), and inside WeChat open WeChat's own pay sheet. */
import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";

const FINAL_STATES = ["done", "cancel", "error"];
const POLL_MS = 3000;

publicWidget.registry.WeChatPayCheckout = publicWidget.Widget.extend({
    selector: ".o_wechatpay_checkout",
    events: { "click .o_wechatpay_jsapi_pay": "_onClickPay" },

    start() {
        this._timer = setInterval(() => this._checkState(), POLL_MS);
        if (this.el.dataset.jsapi) {
            this._whenBridgeReady(() => this._openPaySheet());
        }
        return this._super(...arguments);
    },

    destroy() {
        clearInterval(this._timer);
        this._super(...arguments);
    },

    async _checkState() {
        let result;
        try {
            result = await rpc("/payment/wechatpay/poll", {
                reference: this.el.dataset.reference,
                access_token: this.el.dataset.accessToken,
            });
        } catch {
            return; // offline for a moment: the next poll tries again
        }
        if (FINAL_STATES.includes(result.state)) {
            clearInterval(this._timer);
            window.location = "/payment/status";
        }
    },

    _whenBridgeReady(callback) {
        if (window.WeixinJSBridge) {
            callback();
        } else {
            document.addEventListener("WeixinJSBridgeReady", callback, { once: true });
        }
    },

    _openPaySheet() {
        const parameters = JSON.parse(this.el.dataset.jsapi);
        window.WeixinJSBridge.invoke("getBrandWCPayRequest", parameters, (answer) => {
            // "ok" is only the shopper's side: the return page asks WeChat Pay
            if (answer.err_msg === "get_brand_wcpay_request:ok") {
                window.location = this.el.dataset.returnUrl;
            }
        });
    },

    _onClickPay(ev) {
        ev.preventDefault();
        this._whenBridgeReady(() => this._openPaySheet());
    },
});

export default publicWidget.registry.WeChatPayCheckout;
