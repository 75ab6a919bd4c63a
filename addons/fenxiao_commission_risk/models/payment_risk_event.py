import logging
from datetime import timedelta

from odoo import api, fields, models

from ..utils import mask_phone, normalize_address, normalize_phone, same_address

_logger = logging.getLogger(__name__)

FENXIAO_KINDS = [
    ("fenxiao_shared_phone", "Brushing: buyer has the distributor's phone number"),
    ("fenxiao_shared_address", "Brushing: delivered to the distributor's address"),
    ("fenxiao_shared_payout", "Brushing: buyer has the distributor's payout account"),
    ("fenxiao_quick_refund", "Brushing: refunded soon after the commission was settled"),
]
FENXIAO_KIND_KEYS = [kind for kind, _label in FENXIAO_KINDS]
MANAGER_GROUP = "fenxiao.group_fenxiao_manager"


class PaymentRiskEvent(models.Model):
    """Brushing (刷单) signals on commission, flagged as risk events.

    A distributor's "customers" who share her phone number, her address or her
    payout account, and orders refunded soon after their commission was
    settled, are what brushing looks like. Each signal is one event, linked to
    the distributor and the order, and holds the commission it concerns
    (``fenxiao.commission.line._put_on_hold``) until a Distribution
    Administrator lifts the hold.
    """

    _inherit = "payment.risk.event"

    kind = fields.Selection(
        selection_add=FENXIAO_KINDS, ondelete=dict.fromkeys(FENXIAO_KIND_KEYS, "cascade")
    )
    fenxiao_distributor_id = fields.Many2one(
        "fenxiao.distributor",
        string="Distributor",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Order", readonly=True, index="btree_not_null", ondelete="set null"
    )
    fenxiao_line_ids = fields.Many2many(
        "fenxiao.commission.line", string="Held Commission", readonly=True
    )
    fenxiao_hold_state = fields.Selection(
        [("held", "On Hold"), ("lifted", "Hold Lifted")],
        string="Commission",
        readonly=True,
        tracking=True,
    )

    # ------------------------------------------------------------------
    # Signals
    # ------------------------------------------------------------------
    @api.model
    def _fenxiao_check_earned(self, orders):
        """Flag the ``orders`` just paid whose buyer shares a phone number, an
        address or a payout account with one of the distributors earning on
        them, and hold those orders' commission.

        One query for the whole set (``_fenxiao_pair_facts``), whatever the
        number of orders, lines and levels; the comparing is done here, where
        normalising does not depend on the database's locale.
        """
        if not orders:
            return self.browse()
        signals = []
        for facts in self._fenxiao_pair_facts(orders):
            order = self.env["sale.order"].browse(facts["order_id"])
            distributor = self.env["fenxiao.distributor"].browse(facts["distributor_id"])
            names = {"buyer": facts["buyer_name"], "distributor": facts["distributor_name"]}
            buyer_phones = {normalize_phone(phone) for phone in facts["buyer_phones"]} - {None}
            shared = buyer_phones & {normalize_phone(p) for p in facts["distributor_phones"]}
            if shared:
                signals.append(
                    (
                        "fenxiao_shared_phone",
                        order,
                        distributor,
                        self.env._(
                            "The buyer %(buyer)s and the distributor %(distributor)s have the "
                            "same phone number %(phone)s.",
                            phone=mask_phone(min(shared)),
                            **names,
                        ),
                    )
                )
            shipping = normalize_address(*facts["shipping_address"])
            if any(
                same_address(shipping, normalize_address(*address))
                for address in facts["distributor_addresses"] or []
            ):
                signals.append(
                    (
                        "fenxiao_shared_address",
                        order,
                        distributor,
                        self.env._(
                            "The order of %(buyer)s is delivered to an address of the "
                            "distributor %(distributor)s: %(address)s.",
                            address=" ".join(
                                part for part in facts["shipping_address"][:3] if part
                            ),
                            **names,
                        ),
                    )
                )
            if facts["shared_account"]:
                signals.append(
                    (
                        "fenxiao_shared_payout",
                        order,
                        distributor,
                        self.env._(
                            "The buyer %(buyer)s withdraws to the same payout account as the "
                            "distributor %(distributor)s (%(account)s).",
                            account=facts["shared_account"],
                            **names,
                        ),
                    )
                )
        # the whole order is suspect: all of its commission waits, every level
        return self._fenxiao_flag_and_hold(
            [
                (kind, order, distributor, order.sudo().fenxiao_commission_line_ids, details)
                for kind, order, distributor, details in signals
            ]
        )

    @api.model
    def _fenxiao_pair_facts(self, orders):
        """What the signals compare, for each order of ``orders`` and
        distributor earning on it, in one query.

        Left out: a distributor's own purchase (the buyer is her), which is
        self-purchase and a company setting, not brushing.
        """
        # Only what the query reads: a flush_all here, in the middle of the
        # payment's reconciliation, writes the order's, invoice's and
        # payment's pending fields now and again at commit (3 queries more).
        self._fenxiao_flush_pair_facts()
        self.env.cr.execute(
            """
            WITH pair AS (
                SELECT DISTINCT order_id, distributor_id
                  FROM fenxiao_commission_line
                 WHERE order_id = ANY(%s) AND kind = 'commission'
            )
            SELECT pair.order_id, pair.distributor_id,
                   buyer.name, dp.name,
                   ARRAY[buyer.phone, buyer.mobile, contact.phone, contact.mobile],
                   ARRAY[dp.phone, dp.mobile],
                   ARRAY[ship.street, ship.street2, ship.city, ship.zip, ship.state_id::text],
                   (SELECT json_agg(json_build_array(
                               a.street, a.street2, a.city, a.zip, a.state_id::text))
                      FROM res_partner a
                     WHERE a.id = dp.id OR (a.parent_id = dp.id AND a.type = 'delivery')),
                   (SELECT mine.account_number_masked
                      FROM fenxiao_payout_account mine
                      JOIN fenxiao_payout_account theirs
                        ON theirs.account_fingerprint = mine.account_fingerprint
                      JOIN fenxiao_distributor bd ON bd.id = theirs.distributor_id
                      JOIN res_partner bdp ON bdp.id = bd.partner_id
                     WHERE mine.distributor_id = pair.distributor_id
                       AND bdp.commercial_partner_id = buyer.id
                       AND bd.id != pair.distributor_id
                     LIMIT 1)
              FROM pair
              JOIN sale_order so ON so.id = pair.order_id
              JOIN res_partner contact ON contact.id = so.partner_id
              JOIN res_partner buyer ON buyer.id = contact.commercial_partner_id
              JOIN fenxiao_distributor d ON d.id = pair.distributor_id
              JOIN res_partner dp ON dp.id = d.partner_id
              LEFT JOIN res_partner ship ON ship.id = so.partner_shipping_id
             WHERE buyer.id != dp.commercial_partner_id
             ORDER BY pair.order_id, pair.distributor_id
            """,
            [orders.ids],
        )
        keys = (
            "order_id",
            "distributor_id",
            "buyer_name",
            "distributor_name",
            "buyer_phones",
            "distributor_phones",
            "shipping_address",
            "distributor_addresses",
            "shared_account",
        )
        return [dict(zip(keys, row, strict=True)) for row in self.env.cr.fetchall()]

    @api.model
    def _fenxiao_flush_pair_facts(self):
        """Flush the fields ``_fenxiao_pair_facts`` reads (nothing else)."""
        self.env["fenxiao.commission.line"].flush_model(["order_id", "distributor_id", "kind"])
        self.env["sale.order"].flush_model(["partner_id", "partner_shipping_id"])
        self.env["fenxiao.distributor"].flush_model(["partner_id"])
        self.env["res.partner"].flush_model(
            [
                "name",
                "phone",
                "mobile",
                "street",
                "street2",
                "city",
                "zip",
                "state_id",
                "parent_id",
                "type",
                "commercial_partner_id",
            ]
        )
        self.env["fenxiao.payout.account"].flush_model(
            ["distributor_id", "account_fingerprint", "account_number_masked"]
        )

    @api.model
    def _fenxiao_check_reversed(self, reversals):
        """Flag the orders whose commission was settled less than the company's
        quick refund window before these ``reversals`` took it back, and hold
        the commission the same distributors still have open on the same
        buyer's orders. The clawback itself is never held: it is what gets
        the money back."""
        now = fields.Datetime.now()
        found = {}
        for reversal in reversals.sudo():
            settlement = reversal.reversed_line_id.settlement_id
            days = reversal.company_id.fenxiao_risk_refund_days
            if not (settlement and days) or settlement.create_date < now - timedelta(days=days):
                continue
            found.setdefault((reversal.order_id, reversal.distributor_id), settlement)
        if not found:
            return self.browse()
        open_lines = self._fenxiao_open_lines(
            [(distributor, order.partner_id.commercial_partner_id) for order, distributor in found]
        )
        signals = []
        for (order, distributor), settlement in found.items():
            buyer = order.partner_id.commercial_partner_id
            signals.append(
                (
                    "fenxiao_quick_refund",
                    order,
                    distributor,
                    open_lines.get((distributor.id, buyer.id), self.env["fenxiao.commission.line"]),
                    self.env._(
                        "%(order)s of %(buyer)s was refunded %(days)s days after its commission "
                        "was settled in %(settlement)s (window: %(window)s days).",
                        order=order.name,
                        buyer=buyer.name,
                        days=(now - settlement.create_date).days,
                        settlement=settlement.name,
                        window=order.company_id.fenxiao_risk_refund_days,
                    ),
                )
            )
        return self._fenxiao_flag_and_hold(signals)

    @api.model
    def _fenxiao_open_lines(self, pairs):
        """{(distributor id, buyer id): open ledger lines} for [(distributor, buyer)]:
        commission not settled yet, with its reversals, but not the reversals
        of settled lines (clawbacks)."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT line.distributor_id, customer.commercial_partner_id, array_agg(line.id)
              FROM fenxiao_commission_line line
              JOIN res_partner customer ON customer.id = line.customer_id
              LEFT JOIN fenxiao_commission_line original ON original.id = line.reversed_line_id
             WHERE line.state != 'settled'
               AND (original.id IS NULL OR original.state != 'settled')
               AND (line.distributor_id, customer.commercial_partner_id) IN (
                       SELECT * FROM unnest(%s::int[], %s::int[]))
             GROUP BY line.distributor_id, customer.commercial_partner_id
            """,
            [[distributor.id for distributor, _b in pairs], [buyer.id for _d, buyer in pairs]],
        )
        Line = self.env["fenxiao.commission.line"].sudo()
        return {
            (distributor_id, buyer_id): Line.browse(ids)
            for distributor_id, buyer_id, ids in self.env.cr.fetchall()
        }

    @api.model
    def _fenxiao_flag_and_hold(self, signals):
        """Record [(kind, order, distributor, lines to hold, details)] as risk
        events, once per kind, order and distributor, hold their lines and
        give a Distribution Administrator a to-do."""
        if not signals:
            return self.browse()
        Event = self.sudo()
        known = {
            (event.kind, event.sale_order_id.id, event.fenxiao_distributor_id.id)
            for event in Event.search(
                [
                    ("kind", "in", list({signal[0] for signal in signals})),
                    ("sale_order_id", "in", list({signal[1].id for signal in signals})),
                ]
            )
        }
        manager = (
            self.env.ref(MANAGER_GROUP)
            .sudo()
            .users.filtered(lambda user: user.active and not user.share and user.id != 1)[:1]
        )
        events = self.browse()
        for kind, order, distributor, lines, details in signals:
            if (kind, order.id, distributor.id) in known:
                continue
            known.add((kind, order.id, distributor.id))
            _logger.warning("Commission risk: %s %s %s", kind, order.name, distributor.name)
            held = lines.sudo()._put_on_hold(details)
            event = Event.create(
                {
                    "kind": kind,
                    "reference": order.name,
                    "sale_order_id": order.id,
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "fenxiao_distributor_id": distributor.id,
                    "details": details,
                    "fenxiao_line_ids": [fields.Command.set(lines.ids)],
                    "fenxiao_hold_state": "held" if held or lines.filtered("held") else False,
                }
            )
            if manager:
                event.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Review suspected brushing"),
                    user_id=manager.id,
                )
            events |= event
        return events

    # ------------------------------------------------------------------
    # A manager's decision
    # ------------------------------------------------------------------
    def action_fenxiao_lift_hold(self):
        """Lift the hold of these events' commission: what another event
        still on hold holds waits for that one. Marks the events reviewed."""
        lines = self.fenxiao_line_ids
        still_held = self.search(
            [
                ("id", "not in", self.ids),
                ("fenxiao_hold_state", "=", "held"),
                ("fenxiao_line_ids", "in", lines.ids),
            ]
        )
        lines -= still_held.fenxiao_line_ids
        lines._lift_hold()  # checks that the user is a Distribution Administrator
        self.filtered("fenxiao_hold_state").fenxiao_hold_state = "lifted"
        for event in self:
            event.message_post(
                body=self.env._("%s lifted the hold of the commission.", self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        self.action_mark_reviewed()
        return True
