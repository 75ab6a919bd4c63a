from odoo.tests import TransactionCase, new_test_user


class FenxiaoNetworkCase(TransactionCase):
    """A small network built in each test class, independent of the demo data.

    root ─┬─ a ─── a1 ─── a11
          └─ b
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "fenxiao_max_levels": 2,
                "fenxiao_onboarding": "application",
                "fenxiao_binding_event": "visit",
                "fenxiao_binding_days": 30,
                "fenxiao_binding_takeover": False,
            }
        )
        cls.manager = new_test_user(
            cls.env,
            "fx_manager",
            groups="base.group_user,sales_team.group_sale_salesman,fenxiao.group_fenxiao_manager",
        )
        cls.officer = new_test_user(
            cls.env, "fx_officer", groups="base.group_user,fenxiao.group_fenxiao_user"
        )
        Distributor = cls.env["fenxiao.distributor"]
        cls.root = cls._distributor("根 Root")
        cls.a = cls._distributor("甲 A", cls.root)
        cls.b = cls._distributor("乙 B", cls.root)
        cls.a1 = cls._distributor("甲一 A1", cls.a)
        cls.a11 = cls._distributor("甲一一 A11", cls.a1)
        cls.Distributor = Distributor
        cls.customer = cls.env["res.partner"].create({"name": "顾客 Customer"})

    @classmethod
    def _distributor(cls, name, upline=None, state="active"):
        partner = cls.env["res.partner"].create({"name": name})
        return cls.env["fenxiao.distributor"].create(
            {"partner_id": partner.id, "parent_id": upline and upline.id, "state": state}
        )
