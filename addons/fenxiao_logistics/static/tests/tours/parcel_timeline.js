/** @odoo-module **/

import { registry } from "@web/core/registry";

// A shopper on a phone opens a shipped order, follows the parcel's timeline
// and confirms receipt (确认收货).
registry.category("web_tour.tours").add("fenxiao_logistics_parcel_timeline", {
    steps: () => [
        {
            content: "The parcel shows its carrier and tracking number",
            trigger: ".o_fenxiao_parcel:has(.o_fenxiao_parcel_number:contains('ZT7300012345'))",
        },
        {
            content: "Its state is the newest event's",
            trigger: ".o_fenxiao_parcel_state:contains('Out for delivery'), .o_fenxiao_parcel_state:contains('派件')",
        },
        {
            content: "The newest event comes first in the timeline",
            trigger: ".o_fenxiao_parcel_timeline li:first-child:contains('快件派送中')",
        },
        {
            trigger: ".o_fenxiao_parcel_timeline li:last-child:contains('已揽收')",
        },
        {
            content: "The timeline fits the phone's width",
            trigger: ".o_fenxiao_parcels",
            run() {
                const section = document.querySelector(".o_fenxiao_parcels");
                if (section.scrollWidth > document.documentElement.clientWidth) {
                    throw new Error("the parcel section is wider than the screen");
                }
            },
        },
        {
            content: "Confirm receipt",
            trigger: "button.o_fenxiao_confirm_receipt",
            run: "click",
        },
        {
            content: "The parcel is received and the button is gone",
            trigger: ".o_fenxiao_parcel_state.text-bg-success",
        },
        {
            trigger: ".o_fenxiao_parcels:not(:has(button.o_fenxiao_confirm_receipt))",
        },
    ],
});
