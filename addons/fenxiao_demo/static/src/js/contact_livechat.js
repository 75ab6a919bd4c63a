/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * The 在线客服 button of the contact page opens the site's live chat, the
 * same window as Odoo's floating chat button. The button shows only once the
 * chat is ready and someone is there to answer (Odoo's livechat is
 * "available" while an operator is online); otherwise the page's hotline and
 * WeChat account are the way to reach the shop.
 */
publicWidget.registry.FenxiaoContactLivechat = publicWidget.Widget.extend({
    selector: ".o_fenxiao_contact_livechat",
    events: {
        click: "_onClick",
    },

    async start() {
        await this._super(...arguments);
        this.livechat = this._service("im_livechat.livechat");
        const initialized = this._service("im_livechat.initialized");
        if (this.livechat && initialized) {
            initialized.ready.then(() => {
                if (this.livechat.available) {
                    this.el.classList.remove("d-none");
                }
            });
        }
    },

    /** A service of the page, or undefined when live chat is not on the site. */
    _service(name) {
        try {
            return this.bindService(name);
        } catch {
            return undefined;
        }
    },

    async _onClick() {
        if (this.livechat.thread) {
            // a conversation is already going on: bring its window back
            this.livechat.thread.openChatWindow();
        } else {
            await this.livechat.open();
        }
    },
});
