/** @odoo-module **/

import { registry } from "@web/core/registry";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

/**
 * The distribution loop on a phone, in four tours driven by
 * TestDistributorJourney: a shopper follows a distributor's link, signs up,
 * orders and pays; the distributor finds the order and the frozen commission
 * in the centre; once it is available, asks to withdraw; a manager approves.
 */
/**
 * Choose a provider and pay through its local simulator, which the test set to
 * pay as the shopper's phone would: ``waitFor`` is what the shopper sees while
 * it does (WeChat Pay's QR code page; nothing for Alipay, whose cashier sends
 * the browser straight back).
 */
export function payThroughSimulator(providerCode, waitFor) {
    const steps = [
        {
            content: `Choose ${providerCode}`,
            trigger: `input[name='o_payment_radio'][data-provider-code='${providerCode}']`,
            run: "click",
        },
        tourUtils.pay(),
    ];
    if (waitFor) {
        steps.push({ content: "The provider's page while the phone pays", trigger: waitFor });
    }
    steps.push({
        content: "Back in the shop: the order is confirmed and its payment recorded",
        trigger: ".oe_website_sale_tx_status",
        timeout: 30000,
    });
    return steps;
}

registry.category("web_tour.tours").add("fenxiao_demo_journey_shopper", {
    steps: () => [
        {
            content: "The distributor's link opened the sign-in page: use the mobile number",
            trigger: "a.o_phone_otp_entry",
            run: "click",
        },
        {
            trigger: ".o_phone_otp_form input[name='phone']",
            run: "edit 139 1234 0000",
        },
        {
            content: "Get the code by text message",
            trigger: ".o_phone_otp_send",
            run: "click",
        },
        {
            trigger: ".o_phone_otp_sent:not(.d-none)",
        },
        {
            content: "Type the code: a new number signs up",
            trigger: ".o_phone_otp_form input[name='code']",
            run: "edit 246810",
        },
        {
            trigger: ".o_phone_otp_submit",
            run: "click",
        },
        {
            content: "Signed in: go to the shop's firming cream",
            trigger: "a.o_portal_my_home, .o_portal_my_home, #wrap",
            run() {
                window.location.href = "/shop?search=胜肽紧致面霜";
            },
        },
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
        {
            content: "Check out",
            trigger: "a[name='website_sale_main_button']",
            run: "click",
        },
        {
            content: "Fill in a Chinese delivery address",
            trigger: "form.checkout_autoformat",
            run() {
                const form = this.anchor;
                const set = (name, value) => {
                    const input = form.querySelector(`[name='${name}']`);
                    if (input) {
                        input.value = value;
                    }
                };
                const phone = form.querySelector("input[name='phone']").value;
                if (phone !== "+8613912340000") {
                    throw new Error(`the mobile signed in with is filled in, not "${phone}"`);
                }
                // no e-mail: a shopper who signed in by phone has none to give
                set("name", "陈晓雨");
                set("street", "文三路 90 号 3 幢 501 室");
                const country = form.querySelector("#o_country_id");
                const china = [...country.options].find((option) =>
                    /中国|China/.test(option.textContent)
                );
                // a Chinese shop's form starts on China (website_sale_address_cn):
                // choosing it again would reload the provinces after the next step
                if (country.value !== china.value) {
                    country.value = china.value;
                    country.dispatchEvent(new Event("change", { bubbles: true }));
                }
            },
        },
        {
            // A Chinese address needs its province (website_sale_address_cn).
            content: "Choose the province",
            trigger: "select[name='state_id']:has(option:contains('浙江省'))",
            run() {
                const province = [...this.anchor.options].find((option) =>
                    option.textContent.includes("浙江省")
                );
                this.anchor.value = province.value;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Choose the city from the province's list",
            trigger: "#o_cn_prefecture:has(option:contains('杭州市'))",
            run: "selectByLabel 杭州市",
        },
        {
            content: "Then the district",
            trigger: "#o_cn_county:has(option:contains('西湖区'))",
            run: "selectByLabel 西湖区",
        },
        {
            content: "Save the address",
            trigger: "#save_address",
            run: "click",
        },
        {
            // At phone width the button sits in the folded order summary.
            content: "Confirm the order",
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

registry.category("web_tour.tours").add("fenxiao_demo_journey_orders", {
    steps: () => [
        {
            content: "The order shows in the team's orders, customer masked, commission frozen",
            trigger: ".o_fenxiao_order_list li:has(.o_fenxiao_order_customer:contains('陈*雨')):has(.o_fenxiao_frozen_badge)",
        },
        {
            content: "The overview counts it as frozen commission",
            trigger: ".o_fenxiao_nav a[href='/my/fenxiao']",
            run: "click",
        },
        {
            content: "The chart of the last 30 days is drawn",
            trigger: "svg.o_fenxiao_chart rect:eq(29)",
        },
    ],
});

registry.category("web_tour.tours").add("fenxiao_demo_journey_withdraw", {
    steps: () => [
        {
            content: "Withdraw the whole available balance (shown as the amount's placeholder)",
            trigger: ".o_fenxiao_withdraw_form input[name='amount']",
            run() {
                this.anchor.value = this.anchor.getAttribute("placeholder");
            },
        },
        {
            content: "Send the request",
            trigger: ".o_fenxiao_withdraw_form button[type='submit']",
            run: "click",
        },
        {
            content: "The request is listed, waiting for the shop",
            trigger: ".o_fenxiao_message",
        },
        {
            content: "with its status",
            trigger: ".o_fenxiao_withdrawals .o_fenxiao_withdrawal_state[data-state='requested']",
        },
    ],
});

registry.category("web_tour.tours").add("fenxiao_demo_journey_approve", {
    steps: () => [
        {
            content: "On a phone the form's buttons fold under the cog: open it",
            trigger: ".o_form_view .o_control_panel button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "The manager approves the request",
            trigger: ".o-dropdown--menu button[name='action_approve']",
            run: "click",
        },
        {
            content: "It is approved: the button is gone",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:not(:first-child)",
        },
    ],
});
