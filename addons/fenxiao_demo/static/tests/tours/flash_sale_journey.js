/** @odoo-module **/

import { registry } from "@web/core/registry";
import * as tourUtils from "@website_sale/js/tours/tour_utils";
import { payThroughSimulator } from "./distributor_journey";

/**
 * 王芳 on her phone buys the concealer in its flash sale (59 instead of 99)
 * while the countdown ticks, and pays with WeChat Pay (see TestFlashSaleJourney).
 */
let firstReading = null;

registry.category("web_tour.tours").add("fenxiao_demo_flash_sale", {
    url: "/shop?search=遮瑕膏",
    steps: () => [
        {
            content: "The card shows the flash sale",
            trigger: ".oe_product_cart:has(a:contains('多用遮瑕膏')) .o_fenxiao_flash_running",
        },
        {
            content: "Open the concealer",
            trigger: ".oe_product_cart a:contains('多用遮瑕膏')",
            run: "click",
        },
        {
            content: "The page shows the flash price and the normal one struck through",
            trigger: "#product_detail .oe_price:contains('59.00')",
        },
        {
            trigger: "#product_detail .oe_default_price:contains('99.00'):visible",
        },
        {
            content: "The countdown runs",
            trigger: ".o_fenxiao_flash_page .o_fenxiao_flash_clock:not(:contains('--'))",
            run() {
                firstReading = this.anchor.textContent;
            },
        },
        {
            content: "and ticks a second later",
            trigger: ".o_fenxiao_flash_page .o_fenxiao_flash_clock:visible",
            async run() {
                await new Promise((resolve) => setTimeout(resolve, 1500));
                if (this.anchor.textContent === firstReading) {
                    throw new Error(`the countdown stands still at ${firstReading}`);
                }
            },
        },
        {
            content: "Add it to the cart",
            trigger: "#product_detail #add_to_cart:not(.disabled)",
            run: "click",
        },
        {
            content: "Open the cart",
            trigger: ".o_wsale_my_cart:visible .my_cart_quantity:contains(/^1$/)",
            run() {
                window.location.href = "/shop/cart";
            },
        },
        {
            content: "The cart line costs the flash price",
            trigger: "#cart_products:contains('59.00')",
        },
        tourUtils.goToCheckout(),
        {
            content: "Deliver to the saved address and confirm the order",
            trigger: "body:has(a[name='website_sale_main_button'][href*='/shop/confirm_order'])",
            run() {
                this.anchor
                    .querySelector("a[name='website_sale_main_button'][href*='/shop/confirm_order']")
                    .click();
            },
        },
        ...payThroughSimulator("wechatpay", ".o_wechatpay_checkout .o_wechatpay_qr svg"),
    ],
});
