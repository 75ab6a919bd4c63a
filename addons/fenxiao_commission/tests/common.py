from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user
from odoo.tools import config

from odoo.addons.fenxiao.tests.common import FenxiaoNetworkCase

from ..models.fenxiao_payout_account import KEY_OPTION

TEST_ENCRYPTION_KEY = "test-only-not-secret"


def ensure_encryption_key(case_class):
    """Account numbers are encrypted with the server's key, which odoo.conf
    does not hold (scripts/run and scripts/test add a development one): a test
    class brings its own when the configuration has none."""
    if not config.get(KEY_OPTION):
        case_class.enterClassContext(patch.dict(config.options, {KEY_OPTION: TEST_ENCRYPTION_KEY}))


class FenxiaoCommissionCase(FenxiaoNetworkCase):
    """The small network of FenxiaoNetworkCase, with rules and products.

    root ─┬─ a ─── a1 ─── a11
          └─ b

    Rules: level 1 10%, level 2 5%, level 3 2%, for every tier and product.
    Products have no tax so that the figures read like the worked examples.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_encryption_key(cls)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        cls.company.write(
            {
                "fenxiao_max_levels": 2,
                "fenxiao_commission_self_purchase": True,
                "fenxiao_commission_inactive_upline": "skip",
                "fenxiao_commission_base_tax": "excluded",
                "fenxiao_commission_freeze_days": 7,
                "fenxiao_settlement_period": "weekly",
                "fenxiao_withdrawal_min_amount": 10.0,
                "fenxiao_withdrawal_fee_type": "percent",
                "fenxiao_withdrawal_fee_percent": 0.0,
            }
        )
        cls.company._fenxiao_commission_setup_accounting()
        # The demo shop's open commission must not mix with these tests' own
        # (rolled back with the test transaction).
        cls.env.cr.execute(
            "UPDATE fenxiao_commission_line SET state = 'settled' WHERE state != 'settled'"
        )
        Rule = cls.env["fenxiao.commission.rule"]
        Rule.search([]).action_archive()
        # Demo promotions must not apply to the orders of these tests.
        cls.env["loyalty.program"].search([]).action_archive()
        cls.rules = Rule.create(
            [
                {"name": "L1", "level": 1, "rate": 10.0},
                {"name": "L2", "level": 2, "rate": 5.0},
                {"name": "L3", "level": 3, "rate": 2.0},
            ]
        )
        Product = cls.env["product.product"]
        cls.categ = cls.env["product.category"].create({"name": "护肤 Skincare"})
        cls.p100 = Product.create(
            {
                "name": "精华 Serum",
                "list_price": 100.0,
                "is_storable": True,
                "taxes_id": [Command.clear()],
                "categ_id": cls.categ.id,
            }
        )
        cls.p50 = Product.create(
            {
                "name": "面膜 Mask",
                "list_price": 50.0,
                "is_storable": True,
                "taxes_id": [Command.clear()],
            }
        )
        cls.shipping = Product.create(
            {
                "name": "顺丰 Shipping",
                "list_price": 12.0,
                "type": "service",
                "taxes_id": [Command.clear()],
            }
        )
        stock = cls.env.ref("stock.stock_location_stock")
        for product in cls.p100 | cls.p50:
            cls.env["stock.quant"]._update_available_quantity(product, stock, 1000)
        # the customer is bound to a1, whose upline is a
        cls.customer._fenxiao_bind(cls.a1, "manual")
        cls.portal_user = new_test_user(
            cls.env, "fx_portal_a1", groups="base.group_portal", partner_id=cls.a1.partner_id.id
        )

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------
    @classmethod
    def _order(cls, customer, lines, shipping=0.0):
        """A confirmed order: ``lines`` is [(product, qty)] or [(product, qty, price)]."""
        order_lines = []
        for line in lines:
            product, qty, *price = line
            values = {"product_id": product.id, "product_uom_qty": qty}
            if price:
                values["price_unit"] = price[0]
            order_lines.append(Command.create(values))
        if shipping:
            order_lines.append(
                Command.create(
                    {
                        "product_id": cls.shipping.id,
                        "price_unit": shipping,
                        "is_delivery": True,
                    }
                )
            )
        order = cls.env["sale.order"].create({"partner_id": customer.id, "order_line": order_lines})
        order.action_confirm()
        return order

    @classmethod
    def _pay(cls, order):
        """Invoice the order and pay the invoice in full."""
        invoice = order._create_invoices()
        invoice.action_post()
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        return invoice

    @classmethod
    def _paid_order(cls, customer, lines, shipping=0.0):
        order = cls._order(customer, lines, shipping)
        cls._pay(order)
        return order

    @classmethod
    def _deliver(cls, order, when=None):
        for picking in order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.button_validate()
        if when:
            order.picking_ids.filtered(lambda p: p.state == "done").date_done = when

    @classmethod
    def _credit_note(cls, order, quantities):
        """Post a credit note for {product: qty} of the order's invoice."""
        invoice = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")[:1]
        wizard = (
            cls.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "退货退款"})
        )
        credit_note = cls.env["account.move"].browse(wizard.refund_moves()["res_id"])
        for line in credit_note.invoice_line_ids:
            if line.product_id in quantities:
                line.quantity = quantities[line.product_id]
            else:
                line.unlink()
        credit_note.action_post()
        return credit_note

    # ------------------------------------------------------------------
    # Ledger
    # ------------------------------------------------------------------
    def _ledger(self, order):
        """{(distributor, level, product, kind): amount} of an order's lines."""
        result = {}
        for line in order.fenxiao_commission_line_ids:
            key = (line.distributor_id, line.level, line.product_id, line.kind)
            result[key] = self.currency.round(result.get(key, 0.0) + line.amount)
        return result

    _one_week = timedelta(days=7)

    def _settle_now(self, date_to=None):
        """Settle the current period (or the one ending on ``date_to``) on the
        day after it ends, when it can be settled."""
        company = self.company
        today = company._fenxiao_today()
        date_from, date_to = company._fenxiao_settlement_period(date_to or today)
        with self._after(date_to):
            return self.env["fenxiao.commission.settlement"]._settle(company, date_from, date_to)

    @staticmethod
    def _after(date_to):
        """Freeze time on the day after ``date_to``, in China (noon there)."""
        return freeze_time(fields.Datetime.to_datetime(date_to) + timedelta(days=1, hours=4))

    @classmethod
    def _payout_account(cls, distributor, method="bank"):
        return cls.env["fenxiao.payout.account"].create(
            {
                "distributor_id": distributor.id,
                "method": method,
                "holder_name": distributor.name,
                "bank_name": "招商银行 杭州分行" if method == "bank" else False,
                "account_number": "6225881234567890" if method == "bank" else "13812345678",
            }
        )

    def _earn(self, distributor_order_customer=None, qty=10):
        """Give a1 a settled payable of 10% of qty x 100 (100.00 for 10 jars)."""
        order = self._paid_order(distributor_order_customer or self.customer, [(self.p100, qty)])
        self._release(order)
        return self._settle_now()

    def _release(self, orders, days=8):
        """Deliver ``orders`` and run the release as if ``days`` had passed."""
        for order in orders:
            self._deliver(order, fields.Datetime.now() - timedelta(days=days))
        self.env["fenxiao.commission.line"]._cron_release()

    def _online_paid_quotation(self):
        """A quotation of one p100 for the customer, paid by a done online
        transaction (test provider, not post-processed yet)."""
        provider = self.env["payment.provider"].create(
            {"name": "Test provider", "code": "none", "state": "test"}
        )
        method = self.env["payment.method"].with_context(active_test=False).search([], limit=1)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.p100.id})],
            }
        )
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": self.customer.id,
                "reference": "TEST-" + order.name,
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        tx._set_done()
        return order, tx
