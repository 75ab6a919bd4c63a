from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDistributionAccess(TransactionCase):
    """Who sees the 分销 app and its settings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root_menu = cls.env.ref("fenxiao.menu_fenxiao_root")
        cls.settings_menu = cls.env.ref("fenxiao.menu_fenxiao_config_settings")

    def _visible_menus(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_manager_implies_user(self):
        manager = self.env.ref("fenxiao.group_fenxiao_manager")
        self.assertIn(self.env.ref("fenxiao.group_fenxiao_user"), manager.implied_ids)
        self.assertIn(self.env.ref("base.user_admin"), manager.users)

    def test_app_visible_to_distribution_users_only(self):
        salesman = new_test_user(self.env, "fx_salesman", groups="sales_team.group_sale_salesman")
        user = new_test_user(
            self.env, "fx_user", groups="sales_team.group_sale_salesman,fenxiao.group_fenxiao_user"
        )
        portal = new_test_user(self.env, "fx_portal", groups="base.group_portal")
        self.assertNotIn(self.root_menu.id, self._visible_menus(salesman))
        self.assertFalse(
            portal.has_group("fenxiao.group_fenxiao_user"), "portal users never reach it"
        )
        visible = self._visible_menus(user)
        self.assertIn(self.root_menu.id, visible)
        self.assertIn(self.env.ref("fenxiao.menu_fenxiao_orders").id, visible)
        self.assertNotIn(self.settings_menu.id, visible, "settings are for managers and admins")
        self.assertIn(self.settings_menu.id, self._visible_menus(self.env.ref("base.user_admin")))

    def test_settings_page_has_the_distribution_app(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="fenxiao"', arch)
        self.assertIn("module_website_sale_fenxiao", arch)
