/** @odoo-module **/

import { registry } from "@web/core/registry";

// A shopper signs in on a phone with a number and the code of the text
// message (the test fixes the code the server draws: 246810).
registry.category("web_tour.tours").add("auth_phone_otp_login", {
    url: "/web/login",
    steps: () => [
        {
            content: "Choose to sign in with a mobile number",
            trigger: "a.o_phone_otp_entry",
            run: "click",
        },
        {
            content: "A wrong number is refused before anything is sent",
            trigger: ".o_phone_otp_form input[name='phone']",
            run: "edit 12345",
        },
        {
            trigger: ".o_phone_otp_send",
            run: "click",
        },
        {
            trigger: ".o_phone_otp_error:not(.d-none)",
        },
        {
            content: "Type the number as people write it",
            trigger: ".o_phone_otp_form input[name='phone']",
            run: "edit 139 0000 1234",
        },
        {
            content: "Get the code",
            trigger: ".o_phone_otp_send",
            run: "click",
        },
        {
            content: "The button counts down until another code may be asked for",
            trigger: ".o_phone_otp_send:disabled",
        },
        {
            trigger: ".o_phone_otp_sent:not(.d-none)",
        },
        {
            content: "Type the code of the text message",
            trigger: ".o_phone_otp_form input[name='code']",
            run: "edit 246810",
        },
        {
            trigger: ".o_phone_otp_submit",
            run: "click",
        },
        {
            content: "Signed in: the account page",
            trigger: ".o_portal_my_home",
        },
    ],
});
