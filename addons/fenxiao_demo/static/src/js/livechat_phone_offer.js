/** @odoo-module **/

import { LivechatButton } from "@im_livechat/embed/common/livechat_button";
import { onWillUnmount } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";

/**
 * On a phone, a shopper who lingers is offered the chat too, without covering
 * the page: Odoo opens the chat window by itself only on larger screens (on a
 * phone it would fill the screen), so after the rule's timer the chat button
 * shows its text (在线客服) beside it, as the "button and text" rule does,
 * and a tap opens the chat.
 */
patch(LivechatButton.prototype, {
    setup() {
        super.setup(...arguments);
        const ui = useService("ui");
        const initialized = useService("im_livechat.initialized");
        this.state.phoneOffer = false;
        let timer;
        initialized.ready.then(() => {
            const rule = this.livechatService.rule;
            if (ui.isSmall && rule?.action === "auto_popup" && this.state.animateNotification) {
                timer = browser.setTimeout(() => {
                    this.state.phoneOffer = true;
                }, (rule.auto_popup_timer || 0) * 1000);
            }
        });
        onWillUnmount(() => browser.clearTimeout(timer));
    },
});
