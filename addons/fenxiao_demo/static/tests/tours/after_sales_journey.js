/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * After-sales on a phone, in three tours driven by TestAfterSalesJourney:
 * 王芳 follows her parcel, confirms receipt and asks for a return with a
 * photo; once refunded she sees it; 李娜 sees her commission reversed.
 */

// a real 1x1 PNG: the server checks that a photo is an image
const PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

registry.category("web_tour.tours").add("fenxiao_demo_after_sales_ask", {
    steps: () => [
        {
            content: "The order shows its parcel: 中通, on its way to her door",
            trigger:
                "#fenxiao_parcels .o_fenxiao_parcel:has(.o_fenxiao_parcel_carrier:contains('中通')) .o_fenxiao_parcel_timeline li:first-child:contains('派件')",
        },
        {
            content: "Both events of the parcel, newest first",
            trigger: "#fenxiao_parcels .o_fenxiao_parcel_timeline li:last-child:contains('已揽收')",
        },
        {
            content: "The parcel arrived: 确认收货",
            trigger: "#fenxiao_parcels button.o_fenxiao_confirm_receipt",
            run: "click",
        },
        {
            content: "Received, and nothing left to confirm",
            trigger:
                "#fenxiao_parcels:has(.o_fenxiao_parcel_state:contains('已收货')):not(:has(.o_fenxiao_confirm_receipt))",
        },
        {
            content: "Ask for after-sales",
            trigger: "a.o_fenxiao_after_sales_button",
            run: "click",
        },
        {
            content: "Return and refund",
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
            run: "selectByLabel 质量问题",
        },
        {
            content: "What happened",
            trigger: "form.o_fenxiao_after_sales_form textarea[name='description']",
            run: "edit 盖子松了，面霜漏了一半",
        },
        {
            content: "A photo of the jar",
            trigger: "form.o_fenxiao_after_sales_form input[name='photos']",
            run() {
                const bytes = Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], "面霜.png", { type: "image/png" }));
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
    ],
});

registry.category("web_tour.tours").add("fenxiao_demo_after_sales_refunded", {
    steps: () => [
        {
            content: "The request is refunded",
            trigger: ".o_fenxiao_after_sales_page .badge:contains('已退款')",
        },
    ],
});

registry.category("web_tour.tours").add("fenxiao_demo_after_sales_reversal", {
    steps: () => [
        {
            content: "The centre's ledger, reversals only: the order's line is there, negative",
            trigger: ".o_fenxiao_ledger li",
            run() {
                const order = new URLSearchParams(window.location.search).get("fx_order");
                const lines = [...document.querySelectorAll(".o_fenxiao_ledger li")].filter(
                    (li) => li.textContent.includes(order) && li.textContent.includes("冲回")
                );
                if (lines.length !== 1 || !lines[0].querySelector(".text-danger")) {
                    throw new Error(`no single reversal line for ${order}`);
                }
            },
        },
    ],
});
