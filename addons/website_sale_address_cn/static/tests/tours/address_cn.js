/** @odoo-module **/

import { registry } from "@web/core/registry";

// A shopper who signed up with an SMS code (the test's +8613900005678) buys on
// a phone and gives a Chinese address: no e-mail, the mobile already there.
registry.category("web_tour.tours").add("website_sale_address_cn", {
    steps: () => [
        {
            content: "Add the product to the cart",
            trigger: "#product_detail #add_to_cart",
            run: "click",
        },
        {
            content: "Go to the checkout",
            trigger: ".o_wsale_my_cart:visible .my_cart_quantity:contains(/^1$/)",
            run() {
                window.location.href = "/shop/checkout";
            },
        },
        {
            content: "The Chinese form, the mobile signed in with already filled in",
            trigger:
                "form[data-address-format='cn'] input[name='phone'][value='+8613900005678']",
        },
        {
            content: "收货人, not the sign-up's placeholder name",
            trigger: "label[for='o_name']:contains('收货人')",
            run() {
                const name = document.querySelector("input[name='name']").value;
                if (name) {
                    throw new Error(`the recipient starts empty, not "${name}"`);
                }
            },
        },
        {
            content: "No company name or VAT for a private shopper",
            trigger: "form.checkout_autoformat:not(:has(input[name='vat']))",
        },
        {
            trigger: "input[name='name']",
            run: "edit 王芳",
        },
        {
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
            content: "Choose the city from the province's prefectures",
            trigger: "#o_cn_prefecture:has(option:contains('杭州市'))",
            run: "selectByLabel 杭州市",
        },
        {
            content: "Then the district, 临平区 (a district since 2021)",
            trigger: "#o_cn_county:has(option:contains('临平区'))",
            run: "selectByLabel 临平区",
        },
        {
            trigger: "input[name='street']",
            run: "edit 文三路 100 号 3 幢 501 室",
        },
        {
            content: "Save without an e-mail",
            trigger: "#save_address",
            run: "click",
        },
        {
            content: "The address, read from the province down",
            trigger: "body:not(:has(form.checkout_autoformat)):contains('浙江省杭州市临平区文三路 100 号 3 幢 501 室')",
        },
    ],
});
