import json

from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase

# Context flags that make Odoo's display names say more (addresses, e-mails,
# the customer behind an order).
TALKATIVE_CONTEXT = {
    "show_address": True,
    "show_email": True,
    "formatted_display_name": True,
    "sale_show_partner_name": True,
}
DENIED = "denied"


@tagged("post_install", "-at_install")
class TestRpcDisclosure(FenxiaoCommissionCase, HttpCase):
    """Through JSON-RPC a distributor reads no more than their centre shows,
    and a shopper no more than the shop shows.

    root ─┬─ a ─── a1 ─── a11
          └─ b
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {"email": "gukemail@example.com", "street": "幸福路 88 号", "mobile": "13612340000"}
        )
        cls.order_a1 = cls._paid_order(cls.customer, [(cls.p100, 1)])
        cls.customer_a11 = cls.env["res.partner"].create(
            {
                "name": "欧阳娜娜",
                "mobile": "13912345678",
                "email": "ouyang@example.com",
                "street": "秘密大街 7 号",
            }
        )
        cls.customer_a11._fenxiao_bind(cls.a11, "manual")
        cls.order_a11 = cls._paid_order(cls.customer_a11, [(cls.p50, 2)])
        cls.a11.partner_id.mobile = "13700001111"
        cls.a11.with_context(fenxiao_logged_change=True).write({"state_reason": "内部原因 SECRET"})
        cls.account_b = cls._payout_account(cls.b)
        cls.withdrawal_a1 = (
            cls.env["fenxiao.withdrawal"]
            .sudo()
            .create(
                {
                    "name": "WD-A1",
                    "distributor_id": cls.a1.id,
                    "amount": 12.0,
                    "fee": 0.0,
                    "net_amount": 12.0,
                    "method": "bank",
                    "payout_account_id": cls._payout_account(cls.a1).id,
                }
            )
        )
        cls.env.cr.execute(
            "UPDATE fenxiao_withdrawal SET approved_uid = %s, payout_message = %s WHERE id = %s",
            [cls.manager.id, "商户余额不足 SECRET", cls.withdrawal_a1.id],
        )
        cls.withdrawal_a1.invalidate_recordset()
        # a shopper bound to a1 who signs in by SMS, another by WeChat
        cls.shopper = new_test_user(
            cls.env,
            "+8613688889999",
            groups="base.group_portal",
            partner_id=cls.customer.id,
            login_phone="+8613688889999",
            name=cls.customer.name,
            email=cls.customer.email,
        )
        cls.wechat_user = new_test_user(
            cls.env, "wechat_oSECRETOPENID", groups="base.group_portal", name="微信 Fan"
        )
        cls.env["auth.wechat.identity"].create(
            {
                "user_id": cls.wechat_user.id,
                "app_kind": "official_account",
                "appid": "wxTESTAPP",
                "openid": "oSECRETOPENID",
            }
        )
        # What neither a1 nor the shopper may read anywhere.
        cls.team_secrets = [
            cls.a.name,
            cls.root.name,
            cls.b.name,
            cls.a11.name,
            "13700001111",
            cls.a11.referral_code,
            cls.a.referral_code,
            cls.b.referral_code,
            "内部原因 SECRET",
        ]
        cls.customer_secrets = [
            "欧阳娜娜",
            "13912345678",
            "ouyang@example.com",
            "秘密大街",
            "gukemail@example.com",
            "幸福路",
        ]
        cls.user_secrets = ["8613688889999", "oSECRETOPENID", "fx_portal_a1", "13612340000"]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _rpc(self, model, method, *args, **kwargs):
        """The result of a JSON-RPC call_kw, or DENIED when the server refuses."""
        kwargs.setdefault("context", dict(TALKATIVE_CONTEXT))
        try:
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            )
        except JsonRpcException as error:
            self.assertIn("AccessError", str(error), f"{model}.{method} failed otherwise")
            return DENIED

    def _assert_discloses_nothing(self, result, secrets, what):
        text = json.dumps(result, ensure_ascii=False, default=str)
        for secret in secrets:
            self.assertNotIn(secret, text, f"{what} discloses {secret}")

    def _probe(self, model, fields, secrets, ids=()):
        """Every read route of ``model``, with talkative contexts: nothing of ``secrets``."""
        calls = {
            "search_read": self._rpc(model, "search_read", [], fields),
            "search_read all fields": self._rpc(model, "search_read", [], []),
            "name_search": self._rpc(model, "name_search", ""),
            "web_search_read": self._rpc(
                model,
                "web_search_read",
                [],
                {
                    field: {"fields": {"display_name": {}}}
                    if self.env[model]._fields[field].relational
                    else {}
                    for field in fields
                },
            ),
        }
        for field in fields:
            if self.env[model]._fields[field].store:
                calls[f"read_group {field}"] = self._rpc(
                    model, "read_group", [], [field], [field], lazy=False
                )
        if ids:
            calls["read"] = self._rpc(model, "read", list(ids), fields)
            calls["web_read"] = self._rpc(
                model,
                "web_read",
                list(ids),
                {
                    field: {"fields": {"display_name": {}}}
                    if self.env[model]._fields[field].relational
                    else {}
                    for field in fields
                },
            )
        for what, result in calls.items():
            self._assert_discloses_nothing(result, secrets, f"{model} {what}")
        return calls

    def _ids(self, result):
        return [] if result == DENIED else sorted(row["id"] for row in result)

    # ------------------------------------------------------------------
    # A distributor
    # ------------------------------------------------------------------
    def test_distributor_reads_only_their_own_record(self):
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        secrets = self.team_secrets + self.customer_secrets
        fields = [
            "name",
            "phone",
            "referral_code",
            "state_reason",
            "parent_id",
            "team_sales",
            "withdrawable_balance",
            "commission_available",
        ]
        calls = self._probe(
            "fenxiao.distributor", fields, secrets, ids=(self.a11 | self.a | self.b).ids
        )
        self.assertEqual(self._ids(calls["search_read all fields"]), self.a1.ids)
        self.assertEqual(calls["read"], DENIED)
        # the team through the own record's relations
        result = self._rpc(
            "fenxiao.distributor",
            "web_read",
            self.a1.ids,
            {
                "parent_id": {"fields": {"display_name": {}, "phone": {}, "referral_code": {}}},
                "child_ids": {
                    "fields": {"name": {}, "phone": {}, "referral_code": {}, "team_sales": {}}
                },
                "customer_ids": {"fields": {"name": {}, "email": {}, "mobile": {}}},
            },
        )
        self._assert_discloses_nothing(result, secrets, "the own record's relations")
        # what the centre shows of the own record still reads, and only that
        [own] = self._rpc("fenxiao.distributor", "search_read", [], [])
        self.assertEqual(own["referral_code"], self.a1.referral_code)
        self.assertEqual(own["team_size"], 1)
        self.assertFalse({"parent_id", "child_ids", "log_ids", "customer_ids"} & set(own))

    def test_distributor_ledger_names_no_customer(self):
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        secrets = self.team_secrets + self.customer_secrets
        own_lines = self.a1.commission_line_ids
        calls = self._probe(
            "fenxiao.commission.line",
            ["customer_id", "order_id", "order_line_id", "partner_id", "distributor_id", "amount"],
            secrets,
            ids=own_lines.ids,
        )
        self.assertTrue(
            calls["search_read all fields"] and calls["search_read all fields"] != DENIED,
            "a1 still reads their own ledger",
        )
        self.assertEqual(
            {row["distributor_id"][0] for row in calls["search_read all fields"]}, {self.a1.id}
        )
        self._probe(
            "fenxiao.withdrawal",
            ["name", "partner_id", "reject_reason", "approved_uid", "payout_message"],
            [*secrets, self.manager.name, "商户余额不足"],
        )
        [own] = self._rpc("fenxiao.withdrawal", "search_read", [], ["name", "state"])
        self.assertEqual(own["name"], "WD-A1", "a1 still reads their own request")
        calls = self._probe(
            "fenxiao.payout.account",
            ["holder_name", "account_number", "account_number_masked", "distributor_id"],
            secrets + ["6225881234567890"],
        )
        self.assertNotIn(self.account_b.id, self._ids(calls["search_read"]))
        for model in ("fenxiao.binding", "fenxiao.distributor.log"):
            self.assertEqual(self._rpc(model, "search_read", [], []), DENIED, model)

    def test_distributor_reads_no_other_shopper_account(self):
        self.authenticate("fx_portal_a1", "fx_portal_a1")
        secrets = self.team_secrets + self.customer_secrets + self.user_secrets[:2]
        calls = self._probe(
            "res.users",
            ["login", "login_phone", "name", "email", "mobile", "phone", "partner_id"],
            secrets,
            ids=(self.shopper | self.wechat_user).ids,
        )
        self.assertFalse(set(self._ids(calls["search_read"])) & set(self.shopper.ids))
        self.assertEqual(calls["read"], DENIED)
        self._probe("res.partner", ["name", "email", "mobile", "fenxiao_distributor_id"], secrets)

    # ------------------------------------------------------------------
    # A shopper
    # ------------------------------------------------------------------
    def test_shopper_reads_nothing_of_the_network(self):
        self.authenticate("+8613688889999", "+8613688889999")
        secrets = self.team_secrets + [
            self.a1.name,
            self.a1.referral_code,
            "6225881234567890",
        ]
        for model, fields in {
            "fenxiao.distributor": ["name", "phone", "referral_code", "parent_id"],
            "fenxiao.commission.line": ["customer_id", "order_id", "amount"],
            "fenxiao.withdrawal": ["name", "amount"],
            "fenxiao.payout.account": ["holder_name", "account_number_masked"],
        }.items():
            calls = self._probe(model, fields, secrets)
            self.assertEqual(self._ids(calls["search_read"]), [], model)
        # their own contact says who referred them no more than the shop does
        self._probe(
            "res.partner",
            ["name", "fenxiao_distributor_id"],
            secrets,
            ids=self.customer.ids,
        )
        self._probe(
            "sale.order", ["name", "fenxiao_distributor_id"], secrets, ids=self.order_a1.ids
        )
        calls = self._probe(
            "res.users",
            ["login", "login_phone", "name", "mobile", "partner_id"],
            [*secrets, "oSECRETOPENID", "fx_portal_a1", "微信 Fan"],
            ids=(self.wechat_user | self.portal_user).ids,
        )
        self.assertEqual(calls["read"], DENIED)
        self.assertEqual(
            self._ids(self._rpc("res.users", "search_read", [("share", "=", True)], ["login"])),
            self.shopper.ids,
        )

    def test_shopper_bound_to_a_distributor_opens_the_centre(self):
        self.authenticate("+8613688889999", "+8613688889999")
        response = self.url_open("/my/fenxiao")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.a1.name, response.text)


@tagged("post_install", "-at_install")
class TestSalesOpenOrders(FenxiaoCommissionCase):
    """A salesperson without a distribution group opens orders and contacts
    as the back office's forms read them."""

    def _open_form(self, user, record):
        records = record.with_user(user)
        views = records.get_views([(False, "form")])
        fields = views["models"][record._name]["fields"]
        spec = {
            name: {"fields": {"display_name": {}}} if field["type"] == "many2one" else {}
            for name, field in fields.items()
        }
        [values] = records.web_read(spec)
        self.assertEqual(values["id"], record.id)
        records.read(list(spec))
        return views

    def test_salespeople_confirm_orders_without_reading_the_network(self):
        salesman = new_test_user(
            self.env, "fx_sales_confirm", groups="sales_team.group_sale_salesman"
        )
        Order = self.env["sale.order"].with_user(salesman)
        hidden = {
            "fenxiao_distributor_id",
            "fenxiao_referral_code",
            "fenxiao_commission_line_ids",
            "fenxiao_commission_total",
        }
        self.assertFalse(hidden & set(Order.fields_get()))
        self.assertFalse(
            {
                "fenxiao_distributor_id",
                "fenxiao_bound_date",
                "fenxiao_binding_ids",
                "fenxiao_self_distributor_id",
            }
            & set(self.env["res.partner"].with_user(salesman).fields_get())
        )
        order = Order.create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.p100.id})],
            }
        )
        order.action_confirm()
        self.assertEqual(order.sudo().fenxiao_distributor_id, self.a1, "credited all the same")

    def test_salespeople_open_orders_and_customers(self):
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self.assertTrue(order.sudo().fenxiao_commission_line_ids)
        for groups in ("sales_team.group_sale_salesman", "sales_team.group_sale_manager"):
            user = new_test_user(self.env, f"fx_sales_{groups[-7:]}", groups=groups)
            self.assertFalse(user.has_group("fenxiao.group_fenxiao_user"))
            order.user_id = user
            views = self._open_form(user, order)
            arch = views["views"]["form"]["arch"]
            self.assertNotIn("fenxiao_commission_line_ids", arch)
            self._open_form(user, order.partner_id)
            order.with_user(user).search_read([("id", "=", order.id)], [])
