import logging
import random
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "晓雯",
    "佳琪",
    "雨萱",
    "梦洁",
    "思雨",
    "欣怡",
    "婷婷",
    "丽娟",
    "文静",
    "子涵",
    "诗琪",
    "可欣",
]
# what the repeat buyers take: over 299 for 满299减50, two masks for 买二送一
REPEAT_BASKETS = [
    [("fenxiao_demo.product_ys_cream", 1), ("fenxiao_demo.product_ys_serum", 1)],
    [("fenxiao_demo.product_ys_mask", 2), ("fenxiao_demo.product_ys_toner", 1)],
    [("fenxiao_demo.product_lz_serum", 1), ("fenxiao_demo.product_ys_sunscreen", 1)],
    [("fenxiao_demo.product_hjj_perfume", 1), ("fenxiao_demo.product_hjj_lipstick", 1)],
]
LANDING_PATHS = ["/shop", "/shop", "/shop", "/shop/cart", "/shop/category/1", "/"]
DAYS = 35


class FenxiaoFunnelDemo(models.AbstractModel):
    """The referral funnel of the demo shop's five weeks, run once with the demo.

    Link visits of the distributors' links (several per sign-up and order,
    more for the busy distributors), shoppers who signed up through them,
    and repeat orders of bound customers that took the shop's promotions,
    paid through the real flows and dated back like the commission demo.
    """

    _name = "fenxiao.funnel.demo"
    _description = "Referral Funnel Demo Data"

    @api.model
    def load_demo_funnel(self):
        if not self.env.su:
            raise AccessError(self.env._("Only the installer loads demo data."))
        company = self.env.ref("base.main_company")
        lang = "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else self.env.lang
        env = (
            self.with_company(company)
            .with_context(
                tracking_disable=True, mail_notrack=True, mail_create_nolog=True, lang=lang
            )
            .env
        )
        rng = random.Random(20261201)
        distributors = env["fenxiao.distributor"].search(
            [("company_id", "=", company.id), ("state", "=", "active")], order="id"
        )
        if not distributors:
            return False
        signups = self._signups(env, rng, distributors)
        if company.chart_template:
            self._repeat_orders(env, rng)
        self._visits(env, rng, distributors, signups)
        return True

    def _when(self, rng, max_days=DAYS):
        # a shopper's hours in Shanghai, 8:00 to 23:00 (UTC+8)
        return fields.Datetime.now().replace(minute=0, second=0, microsecond=0) - timedelta(
            days=rng.randint(1, max_days), hours=rng.randint(0, 15)
        )

    @api.model
    def _signups(self, env, rng, distributors):
        """Shoppers who signed up through a link, more for the first distributors."""
        counts = {}
        cr = env.cr
        for number, distributor in enumerate(distributors[:14]):
            for _i in range(max(1, 6 - number // 2) + rng.randint(0, 2)):
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                partner = env["res.partner"].create({"name": name, "lang": env.lang})
                if partner._fenxiao_bind(distributor, "signup"):
                    when = self._when(rng)
                    env.flush_all()
                    cr.execute(
                        "UPDATE fenxiao_binding SET date = %s WHERE partner_id = %s",
                        [when, partner.id],
                    )
                    cr.execute(
                        "UPDATE res_partner SET fenxiao_bound_date = %s WHERE id = %s",
                        [when, partner.id],
                    )
                    counts[distributor] = counts.get(distributor, 0) + 1
        env.invalidate_all()
        return counts

    @api.model
    def _repeat_orders(self, env, rng):
        """Bound customers who came back, most of them into a promotion."""
        promotions = env.ref("fenxiao_demo.promotion_double_eleven") | env.ref(
            "fenxiao_demo.promotion_mask_two_plus_one"
        )
        buyers = (
            env["sale.order"]
            .search(
                [("state", "=", "sale"), ("partner_id.fenxiao_distributor_id", "!=", False)],
                order="id",
            )
            .partner_id[:14]
        )
        orders, ages = env["sale.order"], {}
        for number, buyer in enumerate(buyers):
            basket = [
                (env.ref(xmlid).product_variant_id, qty)
                for xmlid, qty in REPEAT_BASKETS[number % len(REPEAT_BASKETS)]
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
            order._update_programs_and_rewards()
            for coupon, rewards in order._get_claimable_rewards().items():
                for reward in rewards.filtered(lambda r: r.program_id in promotions)[:1]:
                    order._apply_program_reward(reward, coupon)
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
            # after the customer's first order
            first = min(
                buyer.sale_order_ids.filtered(lambda o: o.state == "sale").mapped("date_order")
            )
            ages[order] = rng.randint(0, max((fields.Datetime.now() - first).days - 1, 0))
        env["fenxiao.commission.demo"]._date_back(orders, ages)

    @api.model
    def _visits(self, env, rng, distributors, signups):
        """Visits of each link: several per sign-up and per order it brought."""
        env.flush_all()
        env.cr.execute(
            """
            SELECT fenxiao_distributor_id, count(*) FROM sale_order
             WHERE state = 'sale' AND fenxiao_distributor_id IS NOT NULL
             GROUP BY 1
            """
        )
        orders = dict(env.cr.fetchall())
        values = []
        for distributor in distributors:
            count = (
                signups.get(distributor, 0) * rng.randint(4, 7)
                + orders.get(distributor.id, 0) * rng.randint(3, 5)
                + rng.randint(0, 4)
            )
            values += [
                {
                    "distributor_id": distributor.id,
                    "date": self._when(rng),
                    "landing_path": rng.choice(LANDING_PATHS),
                }
                for _i in range(count)
            ]
        env["fenxiao.referral.visit"].create(values)
        _logger.info("Demo funnel: %s link visits", len(values))
