"""Races between two real database connections.

Each test commits its data through cursors of its own (the test's usual
transaction cannot be seen by another connection), runs two transactions that
overlap — the second takes its snapshot before the first commits and then needs
what the first has locked — and removes the data afterwards.
"""

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import ensure_encryption_key
from .race import race


@tagged("post_install", "-at_install")
class TestRaces(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_encryption_key(cls)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env.ref("base.main_company")
            company._fenxiao_commission_setup_accounting()
            partner = env["res.partner"].create({"name": "并发 Race"})
            distributor = env["fenxiao.distributor"].create(
                {"partner_id": partner.id, "state": "active"}
            )
            account = env["fenxiao.payout.account"].create(
                {
                    "distributor_id": distributor.id,
                    "method": "alipay",
                    "holder_name": "并发",
                    "account_number": "race@example.com",
                }
            )
            # 100.00 settled into the distributor's payable
            move = env["account.move"].create(
                {
                    "journal_id": company.fenxiao_commission_journal_id.id,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": company.fenxiao_commission_payable_account_id.id,
                                "partner_id": partner.id,
                                "credit": 100.0,
                            }
                        ),
                        Command.create(
                            {
                                "account_id": company.fenxiao_commission_expense_account_id.id,
                                "debit": 100.0,
                            }
                        ),
                    ],
                }
            )
            move.action_post()
            product = env["product.product"].create(
                {"name": "并发商品", "type": "service", "list_price": 100.0, "taxes_id": False}
            )
            customer = env["res.partner"].create({"name": "并发顾客"})
            customer._fenxiao_bind(distributor, "manual")
            cls.ids = {
                "company": company.id,
                "partner": partner.id,
                "distributor": distributor.id,
                "account": account.id,
                "move": move.id,
                "product": product.id,
                "customer": customer.id,
            }
        cls.addClassCleanup(cls._remove_data)

    @classmethod
    def _remove_data(cls):
        ids = cls.ids
        with cls.registry.cursor() as cr:
            # The ledger and histories are append-only in the ORM: tests clean
            # up below it.
            cr.execute(
                "DELETE FROM fenxiao_commission_line WHERE distributor_id = %s",
                [ids["distributor"]],
            )
            cr.execute("DELETE FROM payment_transaction WHERE partner_id = %s", [ids["customer"]])
            cr.execute("DELETE FROM sale_order WHERE partner_id = %s", [ids["customer"]])
            cr.execute(
                "DELETE FROM fenxiao_withdrawal WHERE distributor_id = %s", [ids["distributor"]]
            )
            cr.execute("DELETE FROM fenxiao_payout_account WHERE id = %s", [ids["account"]])
            cr.execute("DELETE FROM account_move WHERE id = %s", [ids["move"]])
            cr.execute("DELETE FROM fenxiao_binding WHERE partner_id = %s", [ids["customer"]])
            cr.execute(
                "DELETE FROM fenxiao_distributor_log WHERE distributor_id = %s",
                [ids["distributor"]],
            )
            cr.execute(
                "UPDATE res_partner SET fenxiao_distributor_id = NULL WHERE id = %s",
                [ids["customer"]],
            )
            cr.execute("DELETE FROM fenxiao_distributor WHERE id = %s", [ids["distributor"]])
            cr.execute("DELETE FROM product_product WHERE id = %s", [ids["product"]])

    def _race(self, first, second):
        """Run ``first`` and ``second`` (each ``func(env)``) in overlapping transactions.

        Returns {"first": result or exception, "second": ...}.
        """
        return race(self.registry, first, second)[0]

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_withdrawals)

    def _remove_withdrawals(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM fenxiao_withdrawal WHERE distributor_id = %s",
                [self.ids["distributor"]],
            )

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def test_two_withdrawals_cannot_exceed_the_balance(self):
        def withdraw(amount):
            def func(env):
                distributor = env["fenxiao.distributor"].browse(self.ids["distributor"])
                account = env["fenxiao.payout.account"].browse(self.ids["account"])
                return env["fenxiao.withdrawal"]._fenxiao_request(distributor, amount, account).id

            return func

        results = self._race(withdraw(80.0), withdraw(60.0))
        self.assertIsInstance(results["first"], int)
        self.assertIsInstance(results["second"], UserError, "80 + 60 > 100")
        self.assertIn("at most", str(results["second"]))
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT sum(amount), count(*) FROM fenxiao_withdrawal WHERE distributor_id = %s",
                [self.ids["distributor"]],
            )
            self.assertEqual(cr.fetchone(), (80.0, 1))

    def test_a_withdrawal_is_approved_once(self):
        with self.registry.cursor() as cr:
            cr.transaction = api.Transaction(self.registry)
            env = self._env(cr)
            withdrawal = env["fenxiao.withdrawal"]._fenxiao_request(
                env["fenxiao.distributor"].browse(self.ids["distributor"]),
                20.0,
                env["fenxiao.payout.account"].browse(self.ids["account"]),
            )
            withdrawal_id = withdrawal.id

        def approve(env):
            env["fenxiao.withdrawal"].browse(withdrawal_id).action_approve()
            return "approved"

        results = self._race(approve, approve)
        self.assertEqual(results["first"], "approved")
        self.assertIsInstance(results["second"], UserError)
        self.assertIn("already been handled", str(results["second"]))
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, count(*) FROM fenxiao_withdrawal WHERE id = %s GROUP BY state",
                [withdrawal_id],
            )
            self.assertEqual(cr.fetchall(), [("approved", 1)])

    def test_a_payment_notified_twice_earns_once(self):
        with self.registry.cursor() as cr:
            cr.transaction = api.Transaction(self.registry)
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            order = env["sale.order"].create(
                {
                    "partner_id": self.ids["customer"],
                    "order_line": [Command.create({"product_id": self.ids["product"]})],
                }
            )
            order.action_confirm()
            provider = env["payment.provider"].search([], limit=1)
            env["payment.transaction"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": env["payment.method"]
                    .with_context(active_test=False)
                    .search([], limit=1)
                    .id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": self.ids["customer"],
                    "reference": f"RACE-{order.id}",
                    "state": "done",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
            order_id = order.id

        def notify(env):
            return len(env["sale.order"].browse(order_id)._fenxiao_mark_paid_and_earn())

        results = self._race(notify, notify)
        self.assertEqual(results["first"], 1)
        self.assertEqual(results["second"], 0, "the second notification changes nothing")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*), sum(amount) FROM fenxiao_commission_line WHERE order_id = %s",
                [order_id],
            )
            self.assertEqual(cr.fetchone(), (1, 10.0))
