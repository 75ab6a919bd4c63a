/** @odoo-module **/
/* A withdrawal sent to WeChat waits for the distributor to accept it:
 * WeChat's requestMerchantTransfer shows the transfer and takes the "yes". */
import publicWidget from "@web/legacy/js/public/public_widget";

publicWidget.registry.FenxiaoWeChatTransferConfirm = publicWidget.Widget.extend({
    selector: ".o_fenxiao_wechat_transfer",
    events: { "click .o_fenxiao_wechat_transfer_confirm": "_onConfirm" },

    _onConfirm(ev) {
        const parameters = JSON.parse(ev.currentTarget.dataset.parameters);
        const open = () =>
            window.WeixinJSBridge.invoke("requestMerchantTransfer", parameters, (answer) => {
                // the state comes from WeChat Pay's notification, not from here
                if (answer.err_msg === "requestMerchantTransfer:ok") {
                    window.location.reload();
                }
            });
        if (window.WeixinJSBridge) {
            open();
        } else {
            document.addEventListener("WeixinJSBridgeReady", open, { once: true });
        }
    },
});

export default publicWidget.registry.FenxiaoWeChatTransferConfirm;
