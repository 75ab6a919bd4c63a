from odoo.tests import tagged

from .common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestReviewOutcomes(FenxiaoCommissionCase):
    """What a review's suspension or disqualification does to commission.

    The customer is bound to a1 (level 1, 10%), whose upline is a (level 2, 5%).
    """

    def _state(self, distributor, state, reason="考核不合格"):
        distributor.with_user(self.manager)._set_state(state, reason)

    def _amounts(self, distributor, **domain):
        lines = self.env["fenxiao.commission.line"].search(
            [("distributor_id", "=", distributor.id)]
            + [(key, "=", value) for key, value in domain.items()]
        )
        return self.currency.round(sum(lines.mapped("amount")))

    def test_a_suspension_stops_new_commission_until_reinstated(self):
        before = self._paid_order(self.customer, [(self.p100, 1)])
        self.assertEqual(
            self._ledger(before),
            {
                (self.a1, 1, self.p100, "commission"): 10.0,
                (self.a, 2, self.p100, "commission"): 5.0,
            },
        )
        self._state(self.a1, "suspended")
        during = self._paid_order(self.customer, [(self.p100, 1)])
        # skip (the company's setting): nobody earns a1's level, a keeps level 2
        self.assertEqual(self._ledger(during), {(self.a, 2, self.p100, "commission"): 5.0})
        self.assertEqual(
            self._ledger(before)[(self.a1, 1, self.p100, "commission")],
            10.0,
            "what was earned before the suspension stays",
        )
        self.a1.with_user(self.manager).action_reactivate()
        after = self._paid_order(self.customer, [(self.p100, 1)])
        self.assertEqual(self._ledger(after)[(self.a1, 1, self.p100, "commission")], 10.0)

    def test_a_suspended_distributor_share_passes_up_when_compressed(self):
        self.company.fenxiao_commission_inactive_upline = "compress"
        self._state(self.a1, "suspended")
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self.assertEqual(
            self._ledger(order),
            {
                (self.a, 1, self.p100, "commission"): 10.0,
                (self.root, 2, self.p100, "commission"): 5.0,
            },
        )

    def _frozen_and_available(self):
        """a1 earns 10.00 released (available) and 20.00 still frozen."""
        released = self._paid_order(self.customer, [(self.p100, 1)])
        self._release(released)
        frozen = self._paid_order(self.customer, [(self.p100, 2)])
        self.assertEqual(self._amounts(self.a1, state="available"), 10.0)
        self.assertEqual(self._amounts(self.a1, state="frozen"), 20.0)
        return released, frozen

    def test_disqualified_keeps_everything_earned(self):
        self.company.fenxiao_disqualified_keeps = "all"
        __, frozen = self._frozen_and_available()
        self._state(self.a1, "disqualified")
        self.assertEqual(self._amounts(self.a1, state="frozen"), 20.0)
        self.assertEqual(self._amounts(self.a1, state="available"), 10.0)
        self.assertFalse(self.a1.commission_line_ids.filtered(lambda line: line.kind == "reversal"))
        # the frozen commission is released and settled as usual
        self._release(frozen)
        self.assertEqual(self._amounts(self.a1, state="available"), 30.0)
        self._settle_now()
        self.assertEqual(self._amounts(self.a1, state="settled"), 30.0)

    def test_disqualified_keeps_only_what_is_available(self):
        self.company.fenxiao_disqualified_keeps = "available"
        __, frozen = self._frozen_and_available()
        self._state(self.a1, "disqualified", "多次考核不合格")
        reversals = self.a1.commission_line_ids.filtered(lambda line: line.kind == "reversal")
        self.assertEqual(reversals.mapped("amount"), [-20.0])
        self.assertEqual(reversals.reversal_cause, "disqualified")
        self.assertEqual(reversals.origin, "多次考核不合格")
        self.assertEqual(reversals.order_id, frozen)
        self.assertEqual(self._amounts(self.a1, state="frozen"), 0.0, "frozen commission nets to 0")
        self.assertEqual(self._amounts(self.a1, state="available"), 10.0, "available stays")
        # a's commission on the same orders is not touched
        self.assertEqual(self._amounts(self.a, state="frozen"), 10.0)
        # released, the order's line and its reversal net to nothing for a1
        self._release(frozen)
        self.assertEqual(self._amounts(self.a1, state="available"), 10.0)
        # a later return reverses nothing twice
        self.env["fenxiao.commission.line"]._reverse(frozen, "cancel")
        self.assertEqual(
            self.currency.round(
                sum(
                    frozen.fenxiao_commission_line_ids.filtered(
                        lambda line: line.distributor_id == self.a1
                    ).mapped("amount")
                )
            ),
            0.0,
        )
