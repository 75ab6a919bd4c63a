"""Cross-module checks of the database that scripts/run and scripts/test build.

Run with pytest-odoo against such a database (scripts/test does it):
    pytest tests --odoo-config=odoo.conf --odoo-database=<db>
"""

import os

import polib

from odoo.tests import TransactionCase

ADDONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "addons")


class TestDemoShop(TransactionCase):
    # Odoo tags the test classes of its addons by their module path; these live
    # outside addons/, so they say what they are themselves.
    test_tags = {"standard"}

    def test_every_suite_module_is_installed(self):
        names = [
            name
            for name in os.listdir(ADDONS)
            if os.path.isfile(os.path.join(ADDONS, name, "__manifest__.py"))
        ]
        modules = self.env["ir.module.module"].search([("name", "in", names)])
        self.assertEqual(sorted(modules.mapped("name")), sorted(names))
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertTrue(all(modules.mapped("demo")), "installed with demo data")

    def test_merchant_books_in_cny_on_the_chinese_chart(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(company.chart_template, "cn", "l10n_cn's chart of accounts")
        sales = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "sale")]
        )
        self.assertTrue(sales)
        product = self.env.ref("fenxiao_demo.product_ys_cream")
        self.assertEqual(product.currency_id, self.env.ref("base.CNY"))

    def test_shop_speaks_chinese_first(self):
        website = self.env.ref("website.default_website")
        self.assertEqual(website.default_lang_id.code, "zh_CN")
        self.assertIn("en_US", website.language_ids.mapped("code"))
        self.assertEqual(website.show_line_subtotals_tax_selection, "tax_included")
        category = self.env.ref("fenxiao_demo.public_categ_skincare")
        self.assertEqual(category.with_context(lang="zh_CN").name, "护肤")
        # Odoo's own terms are translated too (the language was loaded first).
        menu = self.env.ref("website_sale.menu_shop")
        self.assertNotEqual(
            menu.with_context(lang="zh_CN").name, menu.with_context(lang="en_US").name
        )

    def test_catalog_is_published_in_the_shop_categories(self):
        catalog = self.env["product.template"].browse(
            self.env["ir.model.data"]
            .search(
                [
                    ("module", "=", "fenxiao_demo"),
                    ("model", "=", "product.template"),
                    # new, waiting for review: not in the shop yet
                    ("name", "!=", "product_ys_niacinamide_serum"),
                ]
            )
            .mapped("res_id")
        )
        self.assertGreaterEqual(len(catalog), 30)
        # a product whose new price waits for the manager is off the shop
        waiting = catalog.filtered(lambda t: t.fenxiao_review_state == "to_review")
        self.assertEqual(waiting, self.env.ref("fenxiao_demo.product_qmy_clay"))
        on_sale = catalog - waiting
        self.assertTrue(all(on_sale.mapped("is_published")))
        self.assertFalse(catalog.filtered(lambda t: not t.public_categ_ids))
        published = self.env["product.template"].search([("is_published", "=", True)])
        self.assertEqual(set(published.ids), set(on_sale.ids), "the shop sells cosmetics only")
        self.assertFalse(
            self.env["product.pricelist"].search(
                [("currency_id", "!=", self.env.ref("base.CNY").id)]
            ),
            "no foreign-currency pricelist in a CNY shop",
        )
        top = self.env["product.public.category"].search([("parent_id", "=", False)])
        self.assertGreaterEqual(len(top & catalog.public_categ_ids.parent_id), 2)

    def test_every_translation_reaches_the_database(self):
        """Odoo merges a module's zh_CN.po with its .pot and drops what the pot
        lacks: a stale pot silently loses new translations."""
        for name in os.listdir(ADDONS):
            i18n = os.path.join(ADDONS, name, "i18n")
            if not os.path.isdir(i18n):
                continue
            pot = {entry.msgid for entry in polib.pofile(os.path.join(i18n, f"{name}.pot"))}
            po = polib.pofile(os.path.join(i18n, "zh_CN.po"))
            translated = {entry.msgid for entry in po if entry.msgstr}
            self.assertFalse(translated - pot, f"{name}: translations missing from its .pot")
        # and one of them, as the shop shows it
        view = self.env.ref("fenxiao_portal.product_share_earn")
        self.assertIn("分享赚", view.with_context(lang="zh_CN").arch_db)
