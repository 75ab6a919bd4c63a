/** @odoo-module **/

import { registry } from "@web/core/registry";

// 李娜 on her phone: her rank (排行榜), her progress to the next tier on the
// overview with the course that tier requires, then the course itself.
registry.category("web_tour.tours").add("fenxiao_training_required_course", {
    steps: () => [
        {
            content: "Her own rank this week",
            trigger: ".o_fenxiao_own_rank",
        },
        {
            content: "Back to the overview",
            trigger: ".o_fenxiao_nav a[href='/my/fenxiao']",
            run: "click",
        },
        {
            content: "Her progress to the next tier",
            trigger: ".o_fenxiao_tier_progress:contains('钻石分销商') .progress",
        },
        {
            content: "The courses card reads Chinese",
            trigger: ".o_fenxiao_required_courses:contains('所需课程')",
        },
        {
            content: "The course that tier requires, half done",
            trigger:
                ".o_fenxiao_required_course:not(.o_fenxiao_course_completed):contains('合规分销：不做传销') .o_fenxiao_course_completion:contains('50%')",
        },
        {
            content: "The course list fits the phone's width",
            trigger: ".o_fenxiao_required_courses",
            run() {
                const card = document.querySelector(".o_fenxiao_required_courses");
                if (card.scrollWidth > document.documentElement.clientWidth) {
                    throw new Error("the required courses are wider than the screen");
                }
            },
        },
        {
            content: "Open the course",
            trigger: "a.o_fenxiao_course_link:contains('合规分销：不做传销')",
            run: "click",
        },
        {
            content: "The course page lists its lessons",
            trigger: "main:contains('分享时的注意事项')",
        },
    ],
});
