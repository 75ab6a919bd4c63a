/** @odoo-module **/

import { registry } from "@web/core/registry";

// Odoo mounts the live chat in a shadow root: ":shadow" looks inside it.
const CHAT = ".o-livechat-root:shadow";
const QUESTION = "请问这款洁面敏感肌能用吗？";

/** The shopper writes to 客服 in the open chat window. */
const askKefu = [
    {
        content: "客服 greets the shopper in Chinese",
        trigger: `${CHAT} .o-mail-Message:contains('您好，我是云裳美妆客服')`,
    },
    {
        content: "Type a question",
        trigger: `${CHAT} .o-mail-Composer-input`,
        run: `edit ${QUESTION}`,
    },
    {
        content: "Send it",
        trigger: `${CHAT} .o-mail-Composer-input`,
        run: "press Enter",
    },
    {
        // shown faded while it is on its way: wait until the server has it
        content: "The question is in the conversation, posted",
        trigger: `${CHAT} .o-mail-Message:contains('${QUESTION}') .o-mail-Message-content:not(.opacity-50)`,
    },
];

/**
 * On a computer: a shopper who lingers on a product page is offered the
 * chat without asking (the test sets the rule's timer to 2 seconds).
 */
registry.category("web_tour.tours").add("fenxiao_demo_livechat_popup", {
    steps: () => [
        {
            content: "The product page is open",
            trigger: "#product_detail",
        },
        {
            content: "After a while the chat window opens by itself",
            trigger: `${CHAT} .o-mail-ChatWindow`,
        },
        ...askKefu,
    ],
});

/**
 * On a phone: the chat never opens by itself over the page (Odoo's choice on
 * small screens); after the rule's timer the button offers it with its text
 * (在线客服), and the shopper taps it.
 */
registry.category("web_tour.tours").add("fenxiao_demo_livechat_phone", {
    steps: () => [
        {
            content: "The product page is open, the chat button is there",
            trigger: `${CHAT} .o-livechat-LivechatButton`,
        },
        {
            content: "Linger past the rule's timer (1 second in the test)",
            trigger: "#product_detail",
            run: () => new Promise((resolve) => setTimeout(resolve, 2500)),
        },
        {
            // Odoo hides the button while a chat window is open
            content: "Nothing has popped up over the page: the button offers the chat; tap it",
            trigger: `${CHAT} .o-livechat-LivechatButton .o-livechat-LivechatButton-notification:contains('在线客服')`,
            run: "click",
        },
        ...askKefu,
    ],
});

/** The contact page's 在线客服 button opens the same chat. */
registry.category("web_tour.tours").add("fenxiao_demo_livechat_contact", {
    steps: () => [
        {
            content: "The 在线客服 button shows once someone can answer",
            trigger: ".o_fenxiao_contact_livechat:visible",
            run: "click",
        },
        {
            content: "The chat window opens with 客服's greeting",
            trigger: `${CHAT} .o-mail-ChatWindow .o-mail-Message:contains('您好，我是云裳美妆客服')`,
        },
    ],
});
