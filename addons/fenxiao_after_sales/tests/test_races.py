"""Two after-sales requests on one order at the same time, on two real
database connections: together they never exceed what was paid.

The data is committed through cursors of the test's own (the test's usual
transaction cannot be seen by another connection) and removed afterwards.
"""

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.fenxiao_commission.tests.race import race


@tagged("post_install", "-at_install")
class TestAfterSalesRaces(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            customer = env["res.partner"].create({"name": "并发顾客 Race"})
            product = env["product.product"].create(
                {"name": "并发商品", "type": "service", "list_price": 100.0, "taxes_id": False}
            )
            provider = env["payment.provider"].create(
                {"name": "Race provider", "code": "none", "state": "test"}
            )
            order = env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 3})
                    ],
                }
            )
            order.action_confirm()
            tx = env["payment.transaction"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": env.ref("payment.payment_method_unknown").id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": customer.id,
                    "reference": "RACE-" + order.name,
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
            tx._set_done()
            cls.ids = {
                "customer": customer.id,
                "product": product.id,
                "provider": provider.id,
                "order": order.id,
                "line": order.order_line.id,
                "operation": env.ref("fenxiao_after_sales.rma_operation_refund_only").id,
                "reason": env.ref("fenxiao_after_sales.reason_other").id,
            }
        cls.addClassCleanup(cls._remove_data)

    @classmethod
    def _remove_data(cls):
        ids = cls.ids
        with cls.registry.cursor() as cr:
            cr.execute("DELETE FROM rma WHERE partner_id = %s", [ids["customer"]])
            cr.execute("DELETE FROM payment_transaction WHERE partner_id = %s", [ids["customer"]])
            cr.execute("DELETE FROM sale_order WHERE partner_id = %s", [ids["customer"]])
            cr.execute("DELETE FROM payment_provider WHERE id = %s", [ids["provider"]])
            cr.execute("DELETE FROM product_product WHERE id = %s", [ids["product"]])
            cr.execute("DELETE FROM mail_followers WHERE partner_id = %s", [ids["customer"]])
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'rma' "
                "AND res_id NOT IN (SELECT id FROM rma)"
            )
            cr.execute("DELETE FROM res_partner WHERE id = %s", [ids["customer"]])

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_requests)

    def _remove_requests(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM account_move WHERE id IN "
                "(SELECT refund_id FROM rma WHERE partner_id = %s)",
                [self.ids["customer"]],
            )
            cr.execute("DELETE FROM rma WHERE partner_id = %s", [self.ids["customer"]])

    def _race(self, first, second):
        """Run ``first`` and ``second`` (each ``func(env)``) in overlapping
        transactions: the second takes its snapshot before the first commits
        and then needs what the first has locked.

        Returns {"first": result or exception, "second": ...}.
        """
        # mails are queued, not sent after the commit (that would look the
        # registry up, which the test runner holds)
        context = {"tracking_disable": True, "mail_notify_force_send": False}
        return race(self.registry, first, second, context=context)[0]

    def _ask(self, quantity):
        def func(env):
            order = env["sale.order"].browse(self.ids["order"])
            # what the second sees in its snapshot: nothing asked yet
            env["rma"].search([("fenxiao_order_id", "=", order.id)]).mapped("fenxiao_amount")
            rma = env["rma"]._fenxiao_request(
                order,
                order.partner_id,
                [
                    {
                        "line_id": self.ids["line"],
                        "quantity": quantity,
                        "operation_id": self.ids["operation"],
                        "reason_id": self.ids["reason"],
                    }
                ],
            )
            return rma.fenxiao_amount

        return func

    def test_two_requests_cannot_together_exceed_what_was_paid(self):
        results = self._race(self._ask(2), self._ask(2))
        self.assertEqual(results["first"], 200.0)
        self.assertIsInstance(results["second"], UserError, "2 + 2 > 3 bought")
        self.assertIn("At most 1", str(results["second"]))
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT sum(fenxiao_amount), sum(product_uom_qty), count(*) FROM rma "
                "WHERE fenxiao_order_id = %s",
                [self.ids["order"]],
            )
            self.assertEqual(cr.fetchone(), (200.0, 2.0, 1))

    def test_concurrent_requests_within_what_was_paid_both_pass(self):
        results = self._race(self._ask(2), self._ask(1))
        self.assertEqual((results["first"], results["second"]), (200.0, 100.0))

    def test_approval_clicked_twice_at_once_refunds_once(self):
        with self.registry.cursor() as cr:
            env = api.Environment(
                cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notify_force_send": False}
            )
            order = env["sale.order"].browse(self.ids["order"])
            rma = env["rma"]._fenxiao_request(
                order,
                order.partner_id,
                [
                    {
                        "line_id": self.ids["line"],
                        "quantity": 1,
                        "operation_id": self.ids["operation"],
                        "reason_id": self.ids["reason"],
                    }
                ],
            )
            rma_id = rma.id

        def approve(env):
            env["rma"].browse(rma_id).action_fenxiao_approve()
            return True

        results = self._race(approve, approve)
        self.assertIs(results["first"], True)
        self.assertIs(results["second"], True, "the second click does nothing")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM account_move_line WHERE rma_id = %s AND display_type = "
                "'product'",
                [rma_id],
            )
            self.assertEqual(cr.fetchone()[0], 1, "one credit note line")
            cr.execute("SELECT fenxiao_review, state FROM rma WHERE id = %s", [rma_id])
            self.assertEqual(cr.fetchone(), ("approved", "refunded"))
