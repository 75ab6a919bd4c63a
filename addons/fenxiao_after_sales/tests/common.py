import io
from datetime import timedelta

from PIL import Image

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase
from odoo.addons.payment_wechatpay.tests.wechatpay_simulator import (
    WeChatPaySimulator,
    new_apiv3_key,
    new_merchant_certificate_serial,
    new_rsa_key,
)

MCH_ID = "1900000109"
APP_ID = "wx8888888888888888"


def png_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


class AfterSalesCase(FenxiaoCommissionCase):
    """The commission network's shop, with a shopper who signs in and the
    three request types and reasons of the module's data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rma = cls.env["rma"]
        cls.refund_only = cls.env.ref("fenxiao_after_sales.rma_operation_refund_only")
        cls.return_refund = cls.env.ref("fenxiao_after_sales.rma_operation_return_refund")
        cls.exchange = cls.env.ref("fenxiao_after_sales.rma_operation_exchange")
        cls.reason = cls.env.ref("fenxiao_after_sales.reason_quality")
        cls.shopper = new_test_user(
            cls.env,
            "fx_after_sales_shopper",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )
        cls.stranger = cls.env["res.partner"].create({"name": "路人 Stranger"})
        cls.company.write(
            {"fenxiao_after_sales_days": 7, "fenxiao_after_sales_auto_approve_hours": 48}
        )

    def _ask(self, order, quantity=1, operation=None, line=None, photos=None, partner=None):
        line = line or order.order_line[0]
        return self.Rma._fenxiao_request(
            order,
            partner or self.customer,
            [
                {
                    "line_id": line.id,
                    "quantity": quantity,
                    "operation_id": (operation or self.refund_only).id,
                    "reason_id": self.reason.id,
                    "description": "瓶子裂了",
                    "photos": photos or [],
                }
            ],
        )

    def _requests(self, order):
        return self.Rma.search([("fenxiao_order_id", "=", order.id)])

    def _age(self, rmas, hours):
        rmas.write({"date": fields.Datetime.now() - timedelta(hours=hours)})

    def _receive(self, rma):
        """The warehouse validates the return's reception."""
        picking = rma.reception_move_id.picking_id
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.button_validate()


class AfterSalesWeChatPayCase(AfterSalesCase):
    """Orders paid with WeChat Pay through the local simulator: refunds go
    back through it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.merchant_private, cls.merchant_public = new_rsa_key()
        cls.merchant_serial = new_merchant_certificate_serial()
        cls.apiv3_key = new_apiv3_key()
        cls.provider = cls.env.ref("payment_wechatpay.payment_provider_wechatpay")
        cls.provider.write(
            {
                "wechatpay_mch_id": MCH_ID,
                "wechatpay_app_id": APP_ID,
                "wechatpay_serial_no": cls.merchant_serial,
                "wechatpay_private_key": cls.merchant_private,
                "wechatpay_apiv3_key": cls.apiv3_key,
                "wechatpay_checkout": "native",
                "state": "test",
            }
        )

    def setUp(self):
        super().setUp()
        self.simulator = WeChatPaySimulator(
            MCH_ID, APP_ID, self.merchant_public, self.merchant_serial, self.apiv3_key
        ).start()
        self.addCleanup(self.simulator.stop)
        self.provider.write(
            {
                "wechatpay_public_key": self.simulator.platform_public_key,
                "wechatpay_public_key_id": self.simulator.public_key_id,
                "wechatpay_gateway_url": self.simulator.base_url,
            }
        )

    def _wechat_paid_order(self, lines):
        """A confirmed order paid by WeChat Pay (Native QR), post-processed:
        commission earned."""
        order = self._order(self.customer, lines)
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_wechat_pay").id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": self.customer.id,
                "operation": "online_redirect",
                "reference": order.name.replace("/", "-"),
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        tx._get_specific_rendering_values({})
        self.simulator.pay(tx.reference, notify=False)
        tx._wechatpay_query()
        self.assertEqual(tx.state, "done")
        tx._post_process()
        return order, tx

    def _finish_refund(self, rma, status="SUCCESS"):
        """WeChat Pay settles the refund; the shop asks and learns it."""
        refund_tx = rma.fenxiao_refund_tx_id
        self.simulator.finish_refund(refund_tx.reference, status=status, notify=False)
        refund_tx._wechatpay_query_refund()
        return refund_tx
