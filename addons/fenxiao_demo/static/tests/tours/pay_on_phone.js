/** @odoo-module **/

import { registry } from "@web/core/registry";
import * as tourUtils from "@website_sale/js/tours/tour_utils";
import { payThroughSimulator } from "./distributor_journey";

/**
 * A signed-in shopper on a phone buys the firming cream and pays with
 * ``providerCode`` through its local simulator (see TestPayOnPhone).
 */
function buyAndPay(providerCode, waitFor) {
    return [
        {
            content: "Open the firming cream",
            trigger: ".oe_product_cart a:contains('胜肽紧致面霜')",
            run: "click",
        },
        {
            content: "Add it to the cart",
            trigger: "#product_detail #add_to_cart",
            run: "click",
        },
        {
            content: "Open the cart",
            trigger: ".o_wsale_my_cart:visible .my_cart_quantity:contains(/^1$/)",
            run() {
                window.location.href = "/shop/cart";
            },
        },
        tourUtils.goToCheckout(),
        {
            // At phone width the button sits in the folded order summary.
            content: "Deliver to the saved address and confirm the order",
            trigger: "body:has(a[name='website_sale_main_button'][href*='/shop/confirm_order'])",
            run() {
                this.anchor
                    .querySelector("a[name='website_sale_main_button'][href*='/shop/confirm_order']")
                    .click();
            },
        },
        ...payThroughSimulator(providerCode, waitFor),
    ];
}

registry.category("web_tour.tours").add("fenxiao_demo_pay_alipay", {
    url: "/shop?search=胜肽紧致面霜",
    steps: () => buyAndPay("alipay"),
});

registry.category("web_tour.tours").add("fenxiao_demo_pay_wechatpay", {
    url: "/shop?search=胜肽紧致面霜",
    steps: () => buyAndPay("wechatpay", ".o_wechatpay_checkout .o_wechatpay_qr svg"),
});
