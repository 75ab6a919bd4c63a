#!/usr/bin/env python3
"""Write the distribution dashboard's spreadsheet (Odoo 18, format version 21).

    python3 scripts/make_dashboard.py                 # the distribution dashboard
    python3 scripts/make_dashboard.py --flash-sales   # the same with flash sales

Writes addons/spreadsheet_dashboard_fenxiao/data/files/distribution_dashboard.json,
the file the module loads, in the shape of Odoo's own dashboards
(spreadsheet_dashboard_sale): a "Dashboard" sheet with scorecards, charts and
top-10 tables, a "Data" sheet with the pivot formulas the scorecards read, and
three global filters (period, distributor, tier). Generated rather than drawn
in Odoo so that a field renamed in a report is one edit here, and the module's
test checks every model and field the file names.

Strings shown to people are English sources: `_t("...")` in formulas and the
view links' text are extracted into the module's .pot by Odoo's i18n export.
"""

import json
import os
import sys
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# --flash-sales: the same dashboard with what each flash sale sold, the file
# spreadsheet_dashboard_fenxiao_flash_sale puts in its place when
# fenxiao_flash_sale is installed (the dashboard itself does not need the shop)
WITH_FLASH_SALES = "--flash-sales" in sys.argv
OUT = os.path.join(
    ROOT,
    "addons",
    "spreadsheet_dashboard_fenxiao_flash_sale"
    if WITH_FLASH_SALES
    else "spreadsheet_dashboard_fenxiao",
    "data",
    "files",
    "distribution_dashboard.json",
)
# the menu a click on a chart opens, by the chart's model (it needs an action)
MENUS = {
    "fenxiao.sale.report": "fenxiao_commission.menu_fenxiao_sale_report",
    "fenxiao.funnel.report": "fenxiao_commission.menu_fenxiao_funnel_report",
    "fenxiao.commission.line": "fenxiao_commission.menu_fenxiao_commission_lines",
    "fenxiao.withdrawal": "fenxiao_commission.menu_fenxiao_withdrawals",
}
MENU = MENUS["fenxiao.sale.report"]


def uid(name):
    """A stable id: the file is the same every time it is generated."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fenxiao-dashboard/{name}"))


F_PERIOD, F_DISTRIBUTOR, F_TIER = uid("period"), uid("distributor"), uid("tier")
GLOBAL_FILTERS = [
    {
        "id": F_PERIOD,
        "type": "date",
        "label": "Period",
        "defaultValue": "last_three_months",
        "rangeType": "relative",
    },
    {
        "id": F_DISTRIBUTOR,
        "type": "relation",
        "label": "Distributor",
        "modelName": "fenxiao.distributor",
        "defaultValue": [],
        "defaultValueDisplayNames": [],
        "rangeType": "year",
    },
    {
        "id": F_TIER,
        "type": "relation",
        "label": "Tier",
        "modelName": "fenxiao.tier",
        "defaultValue": [],
        "defaultValueDisplayNames": [],
        "rangeType": "year",
    },
]

# How each model answers the three filters: (period field, its type,
# distributor field, tier field). None: the filter does not apply.
MATCHING = {
    "fenxiao.sale.report": ("date", "datetime", "distributor_id", "tier_id"),
    "fenxiao.funnel.report": ("date", "date", "distributor_id", "tier_id"),
    "fenxiao.commission.line": ("date", "datetime", "distributor_id", "distributor_id.tier_id"),
    "fenxiao.withdrawal": ("paid_date", "datetime", "distributor_id", "distributor_id.tier_id"),
    "fenxiao.distributor": (None, None, None, "tier_id"),
    # fenxiao_flash_sale's report: distribution managers read it without
    # the rights on sale orders that the order lines need
    "fenxiao.flash.sale.report": ("date", "datetime", "distributor_id", "tier_id"),
}


def field_matching(model, period=None):
    """``period``: (field, type) instead of the model's usual date."""
    date_field, date_type, distributor, tier = MATCHING[model]
    if period:
        date_field, date_type = period
    matching = {}
    if date_field:
        matching[F_PERIOD] = {"chain": date_field, "type": date_type, "offset": 0}
    if distributor:
        matching[F_DISTRIBUTOR] = {"chain": distributor, "type": "many2one"}
    if tier:
        matching[F_TIER] = {"chain": tier, "type": "many2one"}
    return matching


# ----------------------------------------------------------------------
# Data sources
# ----------------------------------------------------------------------
PIVOTS = {}


def pivot(name, model, measures, rows=(), domain=(), sort=None, period=None):
    pivot_id = str(len(PIVOTS) + 1)
    PIVOTS[pivot_id] = {
        "type": "ODOO",
        "fieldMatching": field_matching(model, period),
        "context": {},
        "domain": list(domain),
        "id": pivot_id,
        "measures": [{"id": m, "fieldName": m} for m in measures],
        "model": model,
        "name": name,
        "sortedColumn": ({"groupId": [[], []], "measure": sort, "order": "desc"} if sort else None),
        "formulaId": pivot_id,
        "columns": [],
        "rows": [{"fieldName": r} for r in rows],
    }
    return pivot_id


CREDITED = [["distributor_id", "!=", False]]
P_SALES = pivot(
    "Sales via distributors",
    "fenxiao.sale.report",
    ["price_subtotal", "order_id", "distributor_id"],
    domain=CREDITED,
)
P_EARNED = pivot("Commission earned", "fenxiao.commission.line", ["amount"])
P_SETTLED = pivot(
    "Commission settled",
    "fenxiao.commission.line",
    ["amount"],
    domain=[["state", "=", "settled"]],
    period=("settlement_id.date_to", "date"),
)
P_WITHDRAWN = pivot(
    "Withdrawn",
    "fenxiao.withdrawal",
    ["amount", "net_amount"],
    domain=[["state", "=", "paid"]],
)
P_ACTIVE = pivot(
    "Active distributors", "fenxiao.distributor", ["__count"], domain=[["state", "=", "active"]]
)
P_FUNNEL = pivot(
    "Referral funnel",
    "fenxiao.funnel.report",
    ["visits", "signups", "first_orders", "repeat_orders"],
)
P_PRODUCTS = pivot(
    "Top products",
    "fenxiao.sale.report",
    ["quantity", "price_subtotal"],
    rows=["product_id"],
    domain=[*CREDITED, ["program_id", "=", False]],
    sort="price_subtotal",
)
P_DISTRIBUTORS = pivot(
    "Top distributors",
    "fenxiao.sale.report",
    ["order_id", "price_subtotal"],
    rows=["distributor_id"],
    domain=CREDITED,
    sort="price_subtotal",
)
P_PROMOTIONS = pivot(
    "Promotions",
    "fenxiao.sale.report",
    ["discount", "promoted_sales"],
    rows=["program_id"],
    domain=[["program_id", "!=", False]],
    sort="promoted_sales",
)
if WITH_FLASH_SALES:
    P_FLASH_SALES = pivot(
        "Flash sales",
        "fenxiao.flash.sale.report",
        ["quantity", "price_subtotal"],
        rows=["flash_sale_id"],
        sort="price_subtotal",
    )


# ----------------------------------------------------------------------
# The Data sheet: what the scorecards and the funnel chart read
# ----------------------------------------------------------------------
DATA = {
    "A1": '=_t("KPI")',
    "B1": '=_t("Value")',
    "C1": '=_t("Detail")',
    "A2": '=_t("Sales via distributors")',
    "B2": f'=PIVOT.VALUE({P_SALES},"price_subtotal")',
    "C2": f'=PIVOT.VALUE({P_SALES},"order_id")',
    "A3": '=_t("Commission earned")',
    "B3": f'=PIVOT.VALUE({P_EARNED},"amount")',
    "C3": "=IFERROR(B3/B2*100)",
    "A4": '=_t("Commission settled")',
    "B4": f'=PIVOT.VALUE({P_SETTLED},"amount")',
    "C4": "=IFERROR(B4/B3*100)",
    "A5": '=_t("Withdrawn")',
    "B5": f'=PIVOT.VALUE({P_WITHDRAWN},"amount")',
    "C5": f'=PIVOT.VALUE({P_WITHDRAWN},"net_amount")',
    "A6": '=_t("Distributors who sold")',
    "B6": f'=PIVOT.VALUE({P_SALES},"distributor_id")',
    "C6": f'=PIVOT.VALUE({P_ACTIVE},"__count")',
    "A7": '=_t("New sign-ups")',
    "B7": f'=PIVOT.VALUE({P_FUNNEL},"signups")',
    "C7": f'=PIVOT.VALUE({P_FUNNEL},"visits")',
    "A9": '=_t("Funnel")',
    "A10": '=_t("Link visits")',
    "B10": f'=PIVOT.VALUE({P_FUNNEL},"visits")',
    "A11": '=_t("Sign-ups")',
    "B11": f'=PIVOT.VALUE({P_FUNNEL},"signups")',
    "A12": '=_t("First orders")',
    "B12": f'=PIVOT.VALUE({P_FUNNEL},"first_orders")',
    "A13": '=_t("Repeat orders")',
    "B13": f'=PIVOT.VALUE({P_FUNNEL},"repeat_orders")',
}
DATA_FORMATS = {"C3:C4": 1, "C2": 2, "C6:C7": 2, "B6:B7": 2, "B10:B13": 2}

# ----------------------------------------------------------------------
# The Dashboard sheet
# ----------------------------------------------------------------------
COLS = {0: 250, 1: 95, 2: 105, 3: 30, 4: 250, 5: 95, 6: 105}
LEFT_W, FULL_W = 450, 930
RIGHT_X = 480
ROW = 23
TITLE_ROW = 40
cells, styles, rows, figures, menus = {}, {}, {}, [], {}
state = {"row": 0, "y": 0}


def skip(px):
    """Reserve ``px`` pixels of default rows; return the y they start at."""
    y = state["y"]
    count = -(-px // ROW)
    state["row"] += count
    state["y"] += count * ROW
    return y


def sized_row(size):
    rows[str(state["row"])] = {"size": size}
    row, y = state["row"], state["y"]
    state["row"] += 1
    state["y"] += size
    return row, y


def view_link(text, model, view_type, domain, context):
    action = {
        "viewType": view_type,
        "action": {
            "domain": domain,
            "context": context,
            "modelName": model,
            "views": [[False, "graph"], [False, "pivot"], [False, "list"], [False, "search"]],
        },
        "threshold": 0,
        "name": text,
    }
    return f"[{text}](odoo://view/{json.dumps(action, ensure_ascii=False, separators=(',', ':'))})"


def title(col, text, model, view_type, domain, context, row):
    cells[f"{col}{row + 1}"] = {"content": view_link(text, model, view_type, domain, context)}
    styles[f"{col}{row + 1}"] = 1


def scorecard(key, x, y, title_text, value, baseline, descr, background):
    figures.append(
        {
            "id": uid(key),
            "x": x,
            "y": y,
            "width": 295,
            "height": 100,
            "tag": "chart",
            "data": {
                "baselineColorDown": "#DC6965",
                "baselineColorUp": "#00A04A",
                "baselineMode": "text",
                "title": {"text": title_text, "color": "#434343", "bold": True},
                "type": "scorecard",
                "background": background,
                "baseline": baseline,
                "baselineDescr": descr,
                "keyValue": value,
                "humanize": False,
            },
        }
    )
    menus[uid(key)] = MENU


def odoo_chart(
    key, x, y, width, height, kind, model, group_by, measure, domain=(), period=None, **extra
):
    data = {
        "title": {"text": ""},
        "background": "#FFFFFF",
        "legendPosition": extra.pop("legend", "none"),
        "metaData": {
            "groupBy": group_by,
            "measure": measure,
            "order": extra.pop("order", None),
            "resModel": model,
            "mode": kind,
        },
        "searchParams": {
            "comparison": None,
            "context": {"group_by": []},
            "domain": list(domain),
            "groupBy": group_by,
            "orderBy": [],
        },
        "type": f"odoo_{kind}",
        "fieldMatching": field_matching(model, period),
        **extra,
    }
    if kind != "pie":
        data.setdefault("verticalAxisPosition", "left")
    figures.append(
        {
            "id": uid(key),
            "x": x,
            "y": y,
            "width": width,
            "height": height,
            "tag": "chart",
            "data": data,
        }
    )
    menus[uid(key)] = MENUS[model]


TABLE_ROW = 28


def top_table(col0, header_row, pivot_id, group_field, headers, measures, count=10):
    """A header row at ``header_row`` (0-based), then ``count`` pivot rows."""
    c = [chr(ord(col0) + i) for i in range(3)]
    rows[str(header_row)] = {"size": TITLE_ROW}
    for letter, header in zip(c, headers, strict=True):
        cells[f"{letter}{header_row + 1}"] = {"content": f'=_t("{header}")'}
    styles[f"{c[0]}{header_row + 1}:{c[2]}{header_row + 1}"] = 2
    for i in range(1, count + 1):
        r = header_row + 1 + i
        rows[str(r - 1)] = {"size": TABLE_ROW}
        cells[f"{c[0]}{r}"] = {"content": f'=PIVOT.HEADER({pivot_id},"#{group_field}",{i})'}
        for letter, measure in zip(c[1:], measures, strict=True):
            cells[f"{letter}{r}"] = {
                "content": f'=PIVOT.VALUE({pivot_id},"{measure}","#{group_field}",{i})'
            }
    styles[f"{c[0]}{header_row + 2}:{c[2]}{header_row + 1 + count}"] = 3


def advance_table(count):
    state["row"] += 1 + count
    state["y"] += TITLE_ROW + count * TABLE_ROW


# KPIs: two rows of three scorecards
y0 = skip(8) + 8
for n, (key, text, value, baseline, descr, bg) in enumerate(
    [
        ("kpi_sales", "Sales via distributors", "Data!B2", "Data!C2", "orders", "#EFF6FF"),
        ("kpi_earned", "Commission earned", "Data!B3", "Data!C3", "% of sales", "#FFF7ED"),
        ("kpi_settled", "Commission settled", "Data!B4", "Data!C4", "% of earned", "#FFF7ED"),
        ("kpi_withdrawn", "Withdrawn", "Data!B5", "Data!C5", "paid out net", "#F0FDF4"),
        ("kpi_sellers", "Distributors who sold", "Data!B6", "Data!C6", "active", "#EFF6FF"),
        ("kpi_signups", "New sign-ups", "Data!B7", "Data!C7", "link visits", "#F0FDF4"),
    ]
):
    scorecard(key, (n % 3) * 317, y0 + (n // 3) * 110, text, value, baseline, descr, bg)
skip(220)

# Commission over time, withdrawals over time
row, _y = sized_row(TITLE_ROW)
title(
    "A",
    "Commission by week and state",
    "fenxiao.commission.line",
    "graph",
    [],
    {"group_by": ["date:week", "state"], "graph_measure": "amount", "graph_mode": "bar"},
    row,
)
title(
    "E",
    "Withdrawals by week and state",
    "fenxiao.withdrawal",
    "graph",
    [],
    {"group_by": ["request_date:week", "state"], "graph_measure": "amount", "graph_mode": "bar"},
    row,
)
styles[f"A{row + 1}:G{row + 1}"] = 1
y = skip(330)
odoo_chart(
    "commission_weeks",
    0,
    y,
    LEFT_W,
    320,
    "bar",
    "fenxiao.commission.line",
    ["date:week", "state"],
    "amount",
    legend="top",
    stacked=True,
)
odoo_chart(
    "withdrawn_weeks",
    RIGHT_X,
    y,
    LEFT_W,
    320,
    "bar",
    "fenxiao.withdrawal",
    ["request_date:week", "state"],
    "amount",
    period=("request_date", "datetime"),
    legend="top",
    stacked=True,
)

# Sales by tier, by depth in the network
row, _y = sized_row(TITLE_ROW)
title(
    "A",
    "Sales by tier",
    "fenxiao.sale.report",
    "graph",
    CREDITED,
    {"group_by": ["tier_id"], "graph_measure": "price_subtotal", "graph_mode": "pie"},
    row,
)
title(
    "E",
    "Sales by network depth",
    "fenxiao.sale.report",
    "graph",
    CREDITED,
    {"group_by": ["depth"], "graph_measure": "price_subtotal", "graph_mode": "bar"},
    row,
)
y = skip(330)
odoo_chart(
    "sales_tier",
    0,
    y,
    LEFT_W,
    320,
    "pie",
    "fenxiao.sale.report",
    ["tier_id"],
    "price_subtotal",
    domain=CREDITED,
    legend="top",
)
odoo_chart(
    "sales_depth",
    RIGHT_X,
    y,
    LEFT_W,
    320,
    "bar",
    "fenxiao.sale.report",
    ["depth"],
    "price_subtotal",
    domain=CREDITED,
    stacked=False,
)

# The funnel (a native bar chart on the Data sheet's four figures) and the
# link visits by week
row, _y = sized_row(TITLE_ROW)
title(
    "A",
    "Referral funnel",
    "fenxiao.funnel.report",
    "pivot",
    [],
    {
        "group_by": ["distributor_id"],
        "pivot_measures": ["visits", "signups", "first_orders", "repeat_orders"],
        "pivot_row_groupby": ["distributor_id"],
    },
    row,
)
title(
    "E",
    "Link visits by week",
    "fenxiao.funnel.report",
    "graph",
    [],
    {"group_by": ["date:week"], "graph_measure": "visits", "graph_mode": "bar"},
    row,
)
y = skip(330)
figures.append(
    {
        "id": uid("funnel"),
        "x": 0,
        "y": y,
        "width": LEFT_W,
        "height": 320,
        "tag": "chart",
        "data": {
            "type": "bar",
            "title": {"text": ""},
            "background": "#FFFFFF",
            "dataSetsHaveTitle": False,
            "dataSets": [{"dataRange": "Data!B10:B13", "backgroundColor": "#01666B"}],
            "labelRange": "Data!A10:A13",
            "legendPosition": "none",
            "stacked": False,
            "aggregated": False,
            "showValues": True,
        },
    }
)
odoo_chart(
    "visits_weeks",
    RIGHT_X,
    y,
    LEFT_W,
    320,
    "bar",
    "fenxiao.funnel.report",
    ["date:week"],
    "visits",
    stacked=False,
)

# Top 10 products and distributors
row, _y = sized_row(TITLE_ROW)
title(
    "A",
    "Top products via distributors",
    "fenxiao.sale.report",
    "pivot",
    [*CREDITED, ["program_id", "=", False]],
    {
        "group_by": ["product_id"],
        "pivot_measures": ["quantity", "price_subtotal"],
        "pivot_row_groupby": ["product_id"],
    },
    row,
)
title(
    "E",
    "Top distributors",
    "fenxiao.sale.report",
    "pivot",
    CREDITED,
    {
        "group_by": ["distributor_id"],
        "pivot_measures": ["order_id", "price_subtotal"],
        "pivot_row_groupby": ["distributor_id"],
    },
    row,
)
top_table(
    "A",
    state["row"],
    P_PRODUCTS,
    "product_id",
    ["Product", "Units", "Sales"],
    ["quantity", "price_subtotal"],
)
top_table(
    "E",
    state["row"],
    P_DISTRIBUTORS,
    "distributor_id",
    ["Distributor", "Orders", "Sales"],
    ["order_id", "price_subtotal"],
)
advance_table(10)
skip(ROW)

# Promotions; the flash sales' place is on the right
row, _y = sized_row(TITLE_ROW)
title(
    "A",
    "Promotions",
    "fenxiao.sale.report",
    "pivot",
    [["program_id", "!=", False]],
    {
        "group_by": ["program_id"],
        "pivot_measures": ["discount", "promoted_sales"],
        "pivot_row_groupby": ["program_id"],
    },
    row,
)
if WITH_FLASH_SALES:
    # what each flash sale sold, confirmed orders only
    title(
        "E",
        "Flash sales",
        "fenxiao.flash.sale.report",
        "pivot",
        [],
        {
            "group_by": ["flash_sale_id"],
            "pivot_measures": ["quantity", "price_subtotal"],
            "pivot_row_groupby": ["flash_sale_id"],
        },
        row,
    )
top_table(
    "A",
    state["row"],
    P_PROMOTIONS,
    "program_id",
    ["Promotion", "Discount", "Sales"],
    ["discount", "promoted_sales"],
    count=8,
)
if WITH_FLASH_SALES:
    top_table(
        "E",
        state["row"],
        P_FLASH_SALES,
        "flash_sale_id",
        ["Flash sale", "Units", "Sales"],
        ["quantity", "price_subtotal"],
        count=8,
    )
advance_table(8)
skip(2 * ROW)

DASHBOARD = {
    "id": "sheet1",
    "name": "Dashboard",
    "colNumber": 7,
    "rowNumber": state["row"] + 1,
    "rows": rows,
    "cols": {str(i): {"size": w} for i, w in COLS.items()},
    "merges": [],
    "cells": cells,
    "styles": styles,
    "formats": {},
    "borders": {},
    "conditionalFormats": [],
    "figures": figures,
    "tables": [],
    "areGridLinesVisible": False,
    "isVisible": True,
    "headerGroups": {"ROW": [], "COL": []},
    "dataValidationRules": [],
    "comments": {},
}
DATA_SHEET = {
    "id": "sheet2",
    "name": "Data",
    "colNumber": 3,
    "rowNumber": 20,
    "rows": {},
    "cols": {"0": {"size": 200}, "1": {"size": 120}, "2": {"size": 120}},
    "merges": [],
    "cells": {k: {"content": v} for k, v in DATA.items()},
    "styles": {"A1:C1": 4},
    "formats": DATA_FORMATS,
    "borders": {},
    "conditionalFormats": [],
    "figures": [],
    "tables": [],
    "areGridLinesVisible": True,
    "isVisible": True,
    "headerGroups": {"ROW": [], "COL": []},
    "dataValidationRules": [],
    "comments": {},
}
SPREADSHEET = {
    "version": 21,
    "sheets": [DASHBOARD, DATA_SHEET],
    "styles": {
        "1": {"textColor": "#01666b", "bold": True, "fontSize": 16},
        "2": {"textColor": "#434343", "fontSize": 11, "bold": True},
        "3": {"textColor": "#434343", "verticalAlign": "middle"},
        "4": {"bold": True},
    },
    "formats": {"1": "0.0", "2": "0"},
    "borders": {},
    "revisionId": "START_REVISION",
    "uniqueFigureIds": True,
    "settings": {
        "locale": {
            "name": "English (US)",
            "code": "en_US",
            "thousandsSeparator": ",",
            "decimalSeparator": ".",
            "dateFormat": "mm/dd/yyyy",
            "timeFormat": "hh:mm:ss",
            "formulaArgSeparator": ",",
            "weekStart": 1,
        }
    },
    "pivots": PIVOTS,
    "pivotNextId": len(PIVOTS) + 1,
    "customTableStyles": {},
    "odooVersion": 12,
    "globalFilters": GLOBAL_FILTERS,
    "lists": {},
    "listNextId": 1,
    "chartOdooMenusReferences": menus,
}

if __name__ == "__main__":
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(SPREADSHEET, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(OUT)
