/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * A distribution manager opens 分销 › Reporting › Dashboard: the spreadsheet
 * loads its data and draws its scorecards and charts (any error in a formula,
 * a field or a chart fails the tour through the browser's console).
 */
registry.category("web_tour.tours").add("fenxiao_dashboard_tour", {
    steps: () => [
        {
            content: "The distribution dashboard opens",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet",
        },
        {
            content: "Its scorecards are drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-figure canvas.o-scorecard",
        },
        {
            content: "Its charts are drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-figure canvas:not(.o-scorecard)",
        },
    ],
});
