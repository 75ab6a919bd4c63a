/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * An anonymous shopper on a phone: search the shop, narrow the results to a
 * category, open a product, put it in the cart and get a link to share it.
 */
registry.category("web_tour.tours").add("fenxiao_demo_shop_mobile", {
    url: "/shop",
    steps: () => [
        {
            content: "The shop opens with the demo catalog",
            trigger: ".oe_product_cart a:contains('云裳')",
        },
        {
            content: "Search the house brand",
            trigger: "form.o_wsale_products_searchbar_form input[name='search']",
            run: "edit 云裳",
        },
        {
            content: "Submit the search",
            trigger: "form.o_wsale_products_searchbar_form .oe_search_button",
            run: "click",
        },
        {
            content: "Only the brand's products are left",
            trigger: ".o_wsale_products_page:not(:has(.oe_product_cart a:contains('花间集')))",
        },
        {
            content: "Narrow the results to skin care",
            trigger: ".o_wsale_filmstip a:contains('护肤')",
            run: "click",
        },
        {
            content: "Skin care of the brand shows, body care is gone",
            trigger: ".o_wsale_products_page:has(h4:contains('护肤')):not(:has(.oe_product_cart a:contains('护手霜')))",
        },
        {
            content: "Open the firming cream",
            trigger: ".oe_product_cart a:contains('胜肽紧致面霜')",
            run: "click",
        },
        {
            content: "The price is shown VAT included, as Chinese shoppers expect",
            trigger: "#product_detail .product_price .oe_currency_value:contains(/^459\\.00$/)",
        },
        {
            content: "Add it to the cart",
            trigger: "#product_detail #add_to_cart",
            run: "click",
        },
        {
            content: "The cart counts one item",
            trigger: ".o_wsale_my_cart:visible .my_cart_quantity:contains(/^1$/)",
        },
        {
            content: "Open the cart",
            trigger: ".o_wsale_my_cart:visible a",
            run: "click",
        },
        {
            content: "The cream is in the cart",
            trigger: "#cart_products .o_cart_product a:contains('胜肽紧致面霜')",
        },
        {
            content: "Share the cart with a friend",
            trigger: ".o_fenxiao_share_cart_btn",
            run: "click",
        },
        {
            content: "A link to the same cart is ready to copy",
            trigger: ".o_fenxiao_share_cart[data-shared='link'] .o_fenxiao_share_cart_link:not(.d-none) input",
        },
    ],
});
