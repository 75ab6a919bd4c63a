from datetime import datetime, timedelta

from odoo import Command

from odoo.addons.fenxiao_commission.tests.common import FenxiaoCommissionCase

BEIJING = timedelta(hours=8)


def beijing(*args):
    """The naive UTC datetime Odoo stores for a Beijing wall-clock time."""
    return datetime(*args) - BEIJING


class FenxiaoRankingCase(FenxiaoCommissionCase):
    """The network of FenxiaoCommissionCase, with a way to record paid orders fast.

    root ─┬─ a ─── a1 ─── a11
          └─ b
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.service = cls.env["product.product"].create(
            {"name": "服务 Service", "type": "service", "taxes_id": [Command.clear()]}
        )

    @classmethod
    def _sale(cls, distributor, customer, amount, paid_at):
        """A paid order of ``amount`` (untaxed) by ``customer``, credited to
        ``distributor`` and paid at ``paid_at`` (UTC). Confirmation, payment
        and crediting are written directly: the leaderboards read only these
        columns, and a real payment takes a second per order."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.service.id, "price_unit": amount, "product_uom_qty": 1}
                    )
                ],
            }
        )
        order.flush_recordset()
        cls.env.cr.execute(
            "UPDATE sale_order SET state = 'sale', fenxiao_distributor_id = %s, "
            "fenxiao_paid_date = %s WHERE id = %s",
            [distributor.id, paid_at, order.id],
        )
        order.invalidate_recordset()
        return order

    @classmethod
    def _customer(cls, name):
        return cls.env["res.partner"].create({"name": name})
