/** @odoo-module **/

import { registry } from "@web/core/registry";

// a real 1x1 PNG: the server checks that a photo is an image
const PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/**
 * A shopper on a phone asks for a return and refund of a delivered, paid
 * order, with a photo of the damage, and sees the request waiting for review.
 */
registry.category("web_tour.tours").add("fenxiao_after_sales_return", {
    steps: () => [
        {
            content: "The paid order offers after-sales",
            trigger: "a.o_fenxiao_after_sales_button",
            run: "click",
        },
        {
            content: "One form per line: choose return and refund",
            trigger: "form.o_fenxiao_after_sales_form select[name='operation_id']",
            run: "selectByLabel 退货退款",
        },
        {
            content: "One jar",
            trigger: "form.o_fenxiao_after_sales_form input[name='quantity']",
            run: "edit 1",
        },
        {
            content: "Why",
            trigger: "form.o_fenxiao_after_sales_form select[name='reason_id']",
            run: "selectByLabel 收到商品破损",
        },
        {
            content: "What happened",
            trigger: "form.o_fenxiao_after_sales_form textarea[name='description']",
            run: "edit 瓶身有裂痕，精华漏了",
        },
        {
            content: "A photo of the damage",
            trigger: "form.o_fenxiao_after_sales_form input[name='photos']",
            run() {
                const bytes = Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], "破损.png", { type: "image/png" }));
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Send it",
            trigger: "form.o_fenxiao_after_sales_form button[type='submit']",
            run: "click",
        },
        {
            content: "The request waits for review, with its photo",
            trigger: ".o_fenxiao_after_sales_page:has(.badge:contains('待审核')):has(img)",
        },
        {
            content: "Its timeline tells the shopper it was received",
            trigger: ".o_fenxiao_after_sales_timeline li",
        },
    ],
});
