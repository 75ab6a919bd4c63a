import json
import re

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import file_open

# the format of Odoo 18's own dashboards: the file must be read as they are
ODOO_DASHBOARD = "spreadsheet_dashboard_sale/data/files/sales_dashboard.json"
PIVOT_FORMULA = re.compile(r'PIVOT(?:\.VALUE|\.HEADER)?\((\d+)\s*,\s*"([^"]+)"')


def domain_fields(domain):
    return [term[0] for term in domain if isinstance(term, list)]


def group_field(spec):
    """ "date:week" -> "date"; "#product_id" -> "product_id"."""
    return spec.lstrip("#").split(":")[0]


@tagged("post_install", "-at_install")
class TestDashboardData(TransactionCase):
    """The dashboard's JSON loads and names only models and fields that exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("spreadsheet_dashboard_fenxiao.spreadsheet_dashboard_fenxiao")
        cls.data = json.loads(cls.dashboard.spreadsheet_data)

    def _check_chain(self, model, chain, where):
        """Each step of ``chain`` is a field; returns the last field."""
        self.assertIn(model, self.env, where)
        field = None
        for name in chain.split("."):
            self.assertIn(name, self.env[model]._fields, f"{where}: {model}.{name}")
            field = self.env[model]._fields[name]
            model = field.comodel_name or model
        return field

    def test_dashboard_in_its_group_for_distribution_managers(self):
        self.assertEqual(self.dashboard.dashboard_group_id.name, "Distribution")
        self.assertIn(self.env.ref("fenxiao.group_fenxiao_manager"), self.dashboard.group_ids)
        action = self.env.ref("spreadsheet_dashboard_fenxiao.action_fenxiao_dashboard")
        self.assertEqual(action.params["dashboard_id"], self.dashboard.id)
        menu = self.env.ref("spreadsheet_dashboard_fenxiao.menu_fenxiao_dashboard")
        self.assertEqual(menu.action, action)

    def test_same_format_as_odoo_dashboards(self):
        with file_open(ODOO_DASHBOARD) as f:
            odoo = json.load(f)
        self.assertEqual(self.data["version"], odoo["version"])
        self.assertEqual(self.data["odooVersion"], odoo["odooVersion"])
        self.assertEqual([sheet["name"] for sheet in self.data["sheets"]], ["Dashboard", "Data"])

    def _check_matching(self, model, matching, where):
        """A global filter applies to ``model`` through a field of its kind."""
        filters = {f["id"]: f for f in self.data["globalFilters"]}
        for filter_id, match in matching.items():
            self.assertIn(filter_id, filters, where)
            field = self._check_chain(model, match["chain"], f"{where} filter")
            kind = filters[filter_id]["type"]
            if kind == "date":
                self.assertEqual(field.type, match["type"], f"{where}: {match['chain']}")
            elif kind == "relation":
                self.assertEqual(field.comodel_name, filters[filter_id]["modelName"], where)

    def test_every_model_and_field_exists(self):
        for global_filter in self.data["globalFilters"]:
            if global_filter["type"] == "relation":
                self.assertIn(global_filter["modelName"], self.env)
        check_matching = self._check_matching

        self.assertTrue(self.data["pivots"])
        for pivot_id, pivot in self.data["pivots"].items():
            model, where = pivot["model"], f"pivot {pivot_id}"
            for measure in pivot["measures"]:
                if measure["fieldName"] != "__count":
                    field = self._check_chain(model, measure["fieldName"], where)
                    self.assertTrue(field.aggregator, f"{where}: {field.name} is no measure")
            for group in pivot["rows"] + pivot["columns"]:
                self._check_chain(model, group_field(group["fieldName"]), where)
            for name in domain_fields(pivot["domain"]):
                self._check_chain(model, name, where)
            check_matching(model, pivot["fieldMatching"], where)
        charts = 0
        for sheet in self.data["sheets"]:
            for figure in sheet["figures"]:
                data = figure["data"]
                if not data["type"].startswith("odoo_"):
                    continue
                charts += 1
                meta, where = data["metaData"], f"chart {figure['id']}"
                model = meta["resModel"]
                field = self._check_chain(model, meta["measure"], where)
                self.assertTrue(field.aggregator, f"{where}: {field.name} is no measure")
                for group in meta["groupBy"]:
                    self._check_chain(model, group_field(group), where)
                for name in domain_fields(data["searchParams"]["domain"]):
                    self._check_chain(model, name, where)
                check_matching(model, data["fieldMatching"], where)
        self.assertGreaterEqual(charts, 5)

    def test_formulas_name_existing_pivots_and_measures(self):
        pivots = self.data["pivots"]
        formulas = 0
        for sheet in self.data["sheets"]:
            for ref, cell in sheet["cells"].items():
                for pivot_id, name in PIVOT_FORMULA.findall(cell.get("content", "")):
                    formulas += 1
                    self.assertIn(pivot_id, pivots, f"{sheet['name']}!{ref}")
                    pivot = pivots[pivot_id]
                    names = {m["fieldName"] for m in pivot["measures"]} | {
                        g["fieldName"] for g in pivot["rows"] + pivot["columns"]
                    }
                    self.assertIn(group_field(name), names, f"{sheet['name']}!{ref}")
        self.assertGreater(formulas, 20)
        # the scorecards and the funnel read cells of the Data sheet that exist
        data_cells = self.data["sheets"][1]["cells"]
        for figure in self.data["sheets"][0]["figures"]:
            data = figure["data"]
            refs = [data.get("keyValue"), data.get("baseline"), data.get("labelRange")]
            refs += [d["dataRange"] for d in data.get("dataSets", [])]
            for ref in filter(None, refs):
                first = ref.split("!")[1].split(":")[0]
                self.assertIn(first, data_cells, f"{figure['id']}: {ref}")

    def test_chart_menus_open_an_action(self):
        for xmlid in self.data["chartOdooMenusReferences"].values():
            self.assertTrue(self.env.ref(xmlid).action, xmlid)

    def test_readonly_dashboard_for_a_distribution_manager(self):
        manager = new_test_user(
            self.env,
            "fx_dash_manager",
            groups="base.group_user,fenxiao.group_fenxiao_manager",
        )
        dashboard = self.dashboard.with_user(manager)
        self.assertTrue(dashboard.has_access("read"))
        snapshot = dashboard.get_readonly_dashboard()["snapshot"]
        self.assertEqual(snapshot["version"], self.data["version"])
        # what the charts read, the manager may read
        for model in {p["model"] for p in self.data["pivots"].values()}:
            self.env[model].with_user(manager).search_count([])


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    browser_size = "1280x800"

    def test_distribution_manager_opens_the_dashboard(self):
        new_test_user(
            self.env,
            "fx_dash_tour",
            groups="base.group_user,fenxiao.group_fenxiao_manager",
        )
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard_fenxiao.action_fenxiao_dashboard",
            "fenxiao_dashboard_tour",
            login="fx_dash_tour",
        )
