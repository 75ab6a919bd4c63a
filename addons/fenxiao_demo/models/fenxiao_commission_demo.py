import logging
import random
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import config

_logger = logging.getLogger(__name__)

# (product xml id, quantity): what the demo customers buy, cream and serum first
BASKETS = [
    [("fenxiao_demo.product_ys_cream", 1), ("fenxiao_demo.product_ys_serum", 1)],
    [("fenxiao_demo.product_hjj_lipstick", 2)],
    [("fenxiao_demo.product_ys_mask", 3), ("fenxiao_demo.product_ys_toner", 1)],
    [("fenxiao_demo.product_lz_serum", 1)],
    [("fenxiao_demo.product_syf_cushion", 1), ("fenxiao_demo.product_hjj_lipgloss", 1)],
    [("fenxiao_demo.product_ys_sunscreen", 2)],
    [("fenxiao_demo.product_ys_cream", 2)],
    [("fenxiao_demo.product_hjj_perfume", 1)],
]


class FenxiaoCommissionDemo(models.AbstractModel):
    """Five weeks of trade for the demo shop, run once when demo data loads.

    Paid and delivered orders of the demo customers and distributors, their
    commission released and settled week by week, a refund clawed back after
    settlement, and withdrawals paid, pending and rejected. Done through the
    real flows (invoices, payments, settlements), then dated back in SQL.
    """

    _name = "fenxiao.commission.demo"
    _description = "Commission Demo Data"

    @api.model
    def load_demo_history(self):
        if not self.env.su:
            raise AccessError(self.env._("Only the installer loads demo data."))
        company = self.env.ref("base.main_company")
        if not company.chart_template:
            _logger.warning("No chart of accounts on %s: commission demo skipped", company.name)
            return False
        # the shop's records are written in Chinese, as its staff would
        lang = "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else self.env.lang
        env = (
            self.with_company(company)
            .with_context(
                tracking_disable=True, mail_notrack=True, mail_create_nolog=True, lang=lang
            )
            .env
        )
        # the demo accountant sees journal items (Show Full Accounting Features)
        env.ref("base.user_admin").groups_id = [
            Command.link(env.ref("account.group_account_user").id)
        ]
        rng = random.Random(20261111)
        customers = env["res.partner"].search(
            [("fenxiao_distributor_id", "!=", False), ("company_id", "in", (False, company.id))],
            order="id",
        )
        buyers = (
            customers
            + env.ref("fenxiao_demo.dist_2").partner_id
            + env.ref("fenxiao_demo.dist_lina").partner_id
        )
        orders = env["sale.order"]
        ages = {}
        for number, buyer in enumerate(buyers):
            # leave the catalog's low-stock items as they are
            basket = [
                (env.ref(xmlid).product_variant_id, qty)
                for xmlid, qty in BASKETS[number % len(BASKETS)]
                if env.ref(xmlid).product_variant_id.qty_available >= qty + 10
            ]
            if not basket:
                continue
            order = env["sale.order"].create(
                {
                    "partner_id": buyer.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": qty})
                        for product, qty in basket
                    ],
                }
            )
            order.action_confirm()
            for picking in order.picking_ids:
                for move in picking.move_ids:
                    move.quantity = move.product_uom_qty
                picking.with_context(skip_backorder=True).button_validate()
            invoice = order._create_invoices()
            invoice.action_post()
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({})._create_payments()
            orders |= order
            ages[order] = rng.randint(1, 34)
        self._date_back(orders, ages)
        Line = env["fenxiao.commission.line"]
        Line._cron_release()
        # released on the day the window closed, not today
        env.cr.execute(
            """
            UPDATE fenxiao_commission_line l
               SET available_date = (p.date_done + make_interval(days => %s))::date
              FROM stock_picking p
             WHERE p.sale_id = l.order_id AND l.state = 'available'
            """,
            [company.fenxiao_commission_freeze_days],
        )
        Line.invalidate_model()
        today = fields.Date.context_today(self)
        Settlement = env["fenxiao.commission.settlement"]
        for weeks_ago in (4, 3, 2, 1):
            date_from, date_to = company._fenxiao_settlement_period(
                today - timedelta(weeks=weeks_ago)
            )
            Settlement._settle(company, date_from, date_to)
        # a customer returned one item of a settled order: clawed back next week
        settled = orders.filtered(
            lambda o: o.fenxiao_commission_line_ids
            and all(line.state == "settled" for line in o.fenxiao_commission_line_ids)
        )[:1]
        if settled:
            self._credit_note(settled)
        if config.get("fenxiao_encryption_key"):
            self._withdrawals(env)
        return True

    @api.model
    def _date_back(self, orders, ages):
        cr = self.env.cr
        self.env.flush_all()
        for order, age in ages.items():
            when = fields.Datetime.now() - timedelta(days=age, hours=order.id % 9)
            cr.execute(
                "UPDATE sale_order SET date_order = %s, fenxiao_paid_date = %s WHERE id = %s",
                [when, when, order.id],
            )
            cr.execute(
                "UPDATE fenxiao_commission_line SET date = %s WHERE order_id = %s", [when, order.id]
            )
            cr.execute(
                "UPDATE stock_picking SET date_done = %s WHERE sale_id = %s",
                [when + timedelta(days=2), order.id],
            )
        self.env.invalidate_all()

    @api.model
    def _credit_note(self, order):
        invoice = order.invoice_ids[:1]
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "七天无理由退货"})
        )
        credit_note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        for line in credit_note.invoice_line_ids[1:]:
            line.unlink()
        credit_note.invoice_line_ids.quantity = 1
        credit_note.action_post()

    @api.model
    def _withdrawals(self, env):
        Account = env["fenxiao.payout.account"]
        Withdrawal = env["fenxiao.withdrawal"]
        lina = env.ref("fenxiao_demo.dist_lina")
        wechat = Account.create(
            {
                "distributor_id": lina.id,
                "method": "wechat",
                "holder_name": "李娜",
                "account_number": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
            }
        )
        bank = Account.create(
            {
                "distributor_id": lina.id,
                "method": "bank",
                "holder_name": "李娜",
                "bank_name": "招商银行 杭州分行",
                "account_number": "6225 8801 2345 6789",
            }
        )
        balance = self.env["fenxiao.withdrawal"]._balances(lina)[lina]["withdrawable"]
        if balance >= 150:
            paid = Withdrawal._fenxiao_request(lina, 100.0, bank)
            paid.action_approve()
            paid.action_record_payment()
            Withdrawal._fenxiao_request(lina, 50.0, wechat)
        other = env.ref("fenxiao_demo.dist_2")
        alipay = Account.create(
            {
                "distributor_id": other.id,
                "method": "alipay",
                "holder_name": "罗雨桐",
                "account_number": "15195289358",
            }
        )
        if self.env["fenxiao.withdrawal"]._balances(other)[other]["withdrawable"] >= 20:
            Withdrawal._fenxiao_request(other, 20.0, alipay).action_reject(
                "支付宝实名与账户姓名不一致，请核对后重新申请"
            )
