from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.fenxiao_distributor import CODE_ALPHABET, CODE_LENGTH
from .common import FenxiaoNetworkCase


@tagged("post_install", "-at_install")
class TestReferralCodes(FenxiaoNetworkCase):
    def test_codes_are_short_random_and_unambiguous(self):
        codes = (self.root | self.a | self.b | self.a1 | self.a11).mapped("referral_code")
        self.assertEqual(len(set(codes)), 5)
        for code in codes:
            self.assertEqual(len(code), CODE_LENGTH)
            self.assertTrue(set(code) <= set(CODE_ALPHABET))
            self.assertFalse(set(code) & set("01ILO"), "no look-alike characters")

    def test_lookup_is_case_insensitive_and_forgiving(self):
        code = self.a.referral_code
        self.assertEqual(self.Distributor._find_by_referral_code(f"  {code.lower()} "), self.a)
        for bad in ("", None, 42, "x" * 10_000, "ABC", "O0O0O0O0", "'; DROP TABLE--"):
            self.assertFalse(self.Distributor._find_by_referral_code(bad))
        with self.assertRaisesRegex(UserError, "not a referral code"):
            self.Distributor._find_by_referral_code("ABC", raise_if_invalid=True)
        with self.assertRaisesRegex(UserError, "No distributor"):
            self.Distributor._find_by_referral_code("ZZZZZZZZ", raise_if_invalid=True)

    def test_suspended_distributor_code_does_not_refer(self):
        self.b.action_suspend("违规宣传")
        self.assertFalse(self.Distributor._find_by_referral_code(self.b.referral_code))
        with self.assertRaisesRegex(UserError, "cannot refer"):
            self.Distributor._find_by_referral_code(self.b.referral_code, raise_if_invalid=True)


@tagged("post_install", "-at_install")
class TestTeam(FenxiaoNetworkCase):
    def test_team_size_direct_recruits_and_depth(self):
        self.assertEqual((self.root.team_size, self.root.direct_count), (4, 2))
        self.assertEqual((self.a.team_size, self.a.direct_count), (2, 1))
        self.assertEqual((self.a11.team_size, self.a11.direct_count), (0, 0))
        self.assertEqual([d.depth for d in (self.root, self.a, self.a1, self.a11)], [1, 2, 3, 4])
        team = self.Distributor.search([("id", "child_of", self.a.id)])
        self.assertEqual(team, self.a | self.a1 | self.a11)

    def test_team_figures_take_the_same_queries_for_any_number_of_distributors(self):
        everyone = self.root | self.a | self.b | self.a1 | self.a11
        for field in ("team_size", "team_sales"):
            counts = []
            for records in (self.a11, everyone):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                records.mapped(field)
                counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(counts[0], counts[1], field)
            self.assertLessEqual(counts[1], 4, field)  # records, currency, the SQL, flush

    def test_uplines_nearest_first(self):
        self.assertEqual(self.a11._get_uplines(), self.a1 | self.a | self.root)
        self.assertEqual(list(self.a11._get_uplines(2)), [self.a1, self.a])
        self.assertFalse(self.root._get_uplines())

    def test_chain_is_the_distributor_then_uplines_in_one_query(self):
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            chain = self.a11._get_chain()
            self.assertEqual(list(chain), [self.a11, self.a1, self.a, self.root])
            self.assertEqual(chain.mapped("state"), ["active"] * 4)
            # each contact's commercial entity comes with it (own purchase?)
            self.assertEqual(
                [d.partner_id.commercial_partner_id for d in chain],
                [d.partner_id for d in chain],
            )
        self.assertEqual(list(self.root._get_chain()), [self.root])

    def test_team_sales_count_confirmed_orders_of_the_whole_team(self):
        product = self.env.ref("fenxiao_demo.product_ys_cream")
        self.customer._fenxiao_bind(self.a1, "visit")
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    (0, 0, {"product_id": product.product_variant_id.id, "product_uom_qty": 2})
                ],
            }
        )
        self.assertEqual(self.root.team_sales, 0.0, "quotations are not sales")
        order.action_confirm()
        self.assertEqual(order.fenxiao_distributor_id, self.a1)
        self.env.invalidate_all()
        self.assertEqual(self.a1.team_sales, order.amount_untaxed)
        self.assertEqual(self.root.team_sales, order.amount_untaxed)
        self.assertEqual(self.b.team_sales, 0.0)


@tagged("post_install", "-at_install")
class TestUplineInvariants(FenxiaoNetworkCase):
    def test_nobody_is_their_own_upline(self):
        with self.assertRaises(UserError):
            self.a.with_user(self.manager).action_move_upline(self.a, "test")
        with self.assertRaises(UserError):  # ValidationError or the ORM's recursion error
            self.a.with_context(fenxiao_logged_change=True).write({"parent_id": self.a.id})

    def test_no_cycle_through_the_team(self):
        with self.assertRaisesRegex(UserError, "circle"):
            self.a.with_user(self.manager).action_move_upline(self.a11, "test")
        # Even a write that skips the action's check is stopped by the constraint.
        with self.assertRaises(UserError):
            self.a.with_context(fenxiao_logged_change=True).write({"parent_id": self.a11.id})

    def test_no_cycle_through_a_chain_of_moves(self):
        manager_env = self.a.with_user(self.manager)
        # b under a11, then root under b: root → a → a1 → a11 → b → root would be a circle.
        manager_env.browse(self.b.id).action_move_upline(self.a11, "重组团队")
        self.assertEqual(self.b.depth, 5)
        with self.assertRaisesRegex(UserError, "circle"):
            manager_env.browse(self.root.id).action_move_upline(self.b, "重组团队")
        # Moving a1 to the top keeps its team with it and frees the old chain.
        manager_env.browse(self.a1.id).action_move_upline(self.Distributor, "独立")
        self.assertFalse(self.a1.parent_id)
        self.assertEqual(self.b.depth, 3)
        self.assertEqual(self.root.team_size, 1, "only a is left under root")
        manager_env.browse(self.root.id).action_move_upline(self.b, "合并")
        self.assertEqual(self.a1.team_size, 4)

    def test_moves_are_logged_and_manager_only(self):
        with self.assertRaisesRegex(UserError, "Say why"):
            self.a1.with_user(self.manager).action_move_upline(self.b, "")
        with self.assertRaises(UserError):  # AccessError is a UserError too
            self.a1.with_user(self.officer).action_move_upline(self.b, "试试")
        with self.assertRaisesRegex(UserError, "actions"):
            self.a1.with_user(self.manager).write({"parent_id": self.b.id})
        self.a1.with_user(self.manager).action_move_upline(self.b, "调整")
        log = self.a1.log_ids.filtered(lambda entry: entry.event == "upline")
        self.assertEqual(
            (log.old_parent_id, log.new_parent_id, log.reason), (self.a, self.b, "调整")
        )
        self.assertEqual(log.user_id, self.manager)
        with self.assertRaises(UserError):
            log.write({"reason": "edited"})
        with self.assertRaises(UserError):
            log.unlink()

    def test_tier_and_status_changes_are_logged(self):
        gold = self.env.ref("fenxiao.tier_gold")
        self.a.with_user(self.manager).action_set_tier(gold, "季度考核")
        self.assertEqual(self.a.tier_id, gold)
        with self.assertRaisesRegex(UserError, "reason"):
            self.a.with_user(self.manager).action_suspend("")
        self.a.with_user(self.manager).action_suspend("虚假宣传")
        self.assertEqual((self.a.state, self.a.state_reason), ("suspended", "虚假宣传"))
        events = self.a.log_ids.mapped("event")
        self.assertEqual(sorted(events), ["join", "state", "tier"])


@tagged("post_install", "-at_install")
class TestBinding(FenxiaoNetworkCase):
    def test_bind_on_visit(self):
        self.assertTrue(self.customer._fenxiao_bind(self.a, "visit"))
        self.assertEqual(self.customer.fenxiao_distributor_id, self.a)
        binding = self.customer.fenxiao_binding_ids
        self.assertEqual((binding.distributor_id, binding.cause), (self.a, "visit"))

    def test_binding_event_setting(self):
        self.company.fenxiao_binding_event = "signup"
        self.assertFalse(self.customer._fenxiao_bind(self.a, "visit"))
        self.assertFalse(self.customer.fenxiao_distributor_id)
        self.assertTrue(self.customer._fenxiao_bind(self.a, "signup"))
        other = self.env["res.partner"].create({"name": "新客"})
        self.company.fenxiao_binding_event = "first_order"
        self.assertFalse(other._fenxiao_bind(self.a, "visit"))
        self.assertFalse(other._fenxiao_bind(self.a, "signup"))
        self.assertTrue(other._fenxiao_bind(self.a, "first_order"))

    def test_bind_on_first_paid_order_through_the_order_referral(self):
        self.company.fenxiao_binding_event = "first_order"
        product = self.env.ref("fenxiao_demo.product_ys_mask")
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "fenxiao_referral_code": self.b.referral_code.lower(),
                "order_line": [(0, 0, {"product_id": product.product_variant_id.id})],
            }
        )
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertEqual(self.customer.fenxiao_distributor_id, self.b)
        self.assertEqual(self.customer.fenxiao_binding_ids.cause, "first_order")
        self.assertEqual(order.fenxiao_distributor_id, self.b)

    def test_protection_period_and_takeover(self):
        with freeze_time("2026-01-01 10:00:00"):
            self.customer._fenxiao_bind(self.a, "visit")
        with freeze_time("2026-01-20 10:00:00"):
            self.assertFalse(self.customer._fenxiao_bind(self.b, "visit"), "protected")
        with freeze_time("2026-03-01 10:00:00"):
            self.assertFalse(self.customer._fenxiao_bind(self.b, "visit"), "no takeover")
            self.company.fenxiao_binding_takeover = True
            self.assertTrue(self.customer._fenxiao_bind(self.b, "visit"))
        self.assertEqual(self.customer.fenxiao_distributor_id, self.b)
        takeover = self.customer.fenxiao_binding_ids.sorted("id")[-1]
        self.assertEqual(
            (takeover.cause, takeover.previous_distributor_id, takeover.distributor_id),
            ("takeover", self.a, self.b),
        )
        with freeze_time("2026-03-05 10:00:00"):
            self.assertFalse(self.customer._fenxiao_bind(self.a, "visit"), "protected again")

    def test_self_referral_and_inactive_distributors_are_ignored(self):
        self.assertFalse(self.a.partner_id._fenxiao_bind(self.a, "visit"))
        self.assertFalse(
            self.a.partner_id._fenxiao_bind(self.b, "visit"), "distributors have uplines"
        )
        self.b.action_suspend("暂停")
        self.assertFalse(self.customer._fenxiao_bind(self.b, "visit"))
        self.assertFalse(self.customer.fenxiao_binding_ids, "nothing half-bound")
        self.assertFalse(self.customer._fenxiao_bind_by_code("nonsense", "visit"))

    def test_manual_binding_is_for_managers_and_explains_refusals(self):
        with self.assertRaisesRegex(UserError, "Administrator"):
            self.customer.with_user(self.officer)._fenxiao_bind(self.a, "manual")
        with self.assertRaisesRegex(UserError, "themselves"):
            self.a.partner_id.with_user(self.manager)._fenxiao_bind(self.a, "manual")
        self.customer._fenxiao_bind(self.a, "visit")
        self.assertTrue(self.customer.with_user(self.manager)._fenxiao_bind(self.b, "manual"))
        self.assertEqual(self.customer.fenxiao_binding_ids.sorted("id")[-1].cause, "manual")

    def test_binding_history_is_append_only(self):
        self.customer._fenxiao_bind(self.a, "visit")
        with self.assertRaises(UserError):
            self.customer.fenxiao_binding_ids.write({"distributor_id": self.b.id})
        with self.assertRaises(UserError):
            self.customer.fenxiao_binding_ids.unlink()


@tagged("post_install", "-at_install")
class TestOnboarding(FenxiaoNetworkCase):
    def test_application_then_approval_places_under_the_referrer(self):
        self.customer._fenxiao_bind(self.a, "visit")
        applicant = self.customer._fenxiao_onboard("application")
        self.assertEqual((applicant.state, applicant.parent_id), ("applicant", self.a))
        self.assertFalse(self.Distributor._find_by_referral_code(applicant.referral_code))
        applicant.with_user(self.manager).action_approve()
        self.assertEqual(applicant.state, "active")
        self.assertEqual(self.a.direct_count, 2)

    def test_applications_only_in_application_mode(self):
        self.company.fenxiao_onboarding = "signup"
        with self.assertRaisesRegex(UserError, "do not apply"):
            self.customer._fenxiao_onboard("application")

    def test_signup_mode(self):
        self.company.fenxiao_onboarding = "signup"
        self.env["ir.config_parameter"].set_param("auth_signup.invitation_scope", "b2c")
        user = (
            self.env["res.users"]
            .with_context(fenxiao_referral_code=self.b.referral_code)
            ._signup_create_user({"name": "小红", "login": "xiaohong@example.cn"})
        )
        distributor = user.partner_id.fenxiao_self_distributor_id
        self.assertEqual((distributor.state, distributor.parent_id), ("active", self.b))

    def _order(self, partner, qty=1, **values):
        product = self.env.ref("fenxiao_demo.product_ys_cream").product_variant_id  # ¥459
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": qty})],
                **values,
            }
        )
        order.action_confirm()
        return order

    def _pay(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()

    def test_first_order_and_spend_threshold_modes(self):
        self.company.write({"fenxiao_max_levels": 1, "fenxiao_onboarding": "first_order"})
        self.customer._fenxiao_bind(self.a1, "visit")
        self._pay(self._order(self.customer))
        self.assertEqual(self.customer.fenxiao_self_distributor_id.parent_id, self.a1)

        self.company.write({"fenxiao_onboarding": "spend", "fenxiao_spend_threshold": 800})
        spender = self.env["res.partner"].create({"name": "大客户"})
        self._pay(self._order(spender))
        self.assertFalse(spender.fenxiao_self_distributor_id, "¥459 is under the threshold")
        unpaid = self._order(spender)
        self.assertFalse(spender.fenxiao_self_distributor_id, "an unpaid order is not spent")
        self._pay(unpaid)
        self.assertTrue(spender.fenxiao_self_distributor_id, "¥918 reaches it")

    def test_confirming_an_unpaid_order_binds_and_enrols_nobody(self):
        self.company.write(
            {
                "fenxiao_max_levels": 1,
                "fenxiao_onboarding": "first_order",
                "fenxiao_binding_event": "first_order",
            }
        )
        order = self._order(self.customer, fenxiao_referral_code=self.b.referral_code)
        self.assertEqual(order.state, "sale")
        self.assertFalse(self.customer.fenxiao_distributor_id, "confirmed is not paid")
        self.assertFalse(self.customer.fenxiao_self_distributor_id, "confirmed is not paid")
        self._pay(order)
        self.assertEqual(self.customer.fenxiao_distributor_id, self.b)
        self.assertEqual(self.customer.fenxiao_self_distributor_id.parent_id, self.b)
        self.assertEqual(order.fenxiao_distributor_id, self.b, "the enrolling order is b's")

    def test_joining_by_buying_needs_a_one_level_network(self):
        for mode in ("first_order", "spend"):
            with self.assertRaisesRegex(ValidationError, "变相交纳入门费"):
                self.company.fenxiao_onboarding = mode
        self.company.write({"fenxiao_max_levels": 1, "fenxiao_onboarding": "spend"})
        with self.assertRaisesRegex(ValidationError, "变相交纳入门费"):
            self.company.fenxiao_max_levels = 2
        self.company.write({"fenxiao_onboarding": "application", "fenxiao_max_levels": 3})

    def test_joining_by_buying_set_before_the_rule_enrols_nobody_with_uplines(self):
        # as a database set up before the constraint may still be
        self.env.cr.execute(
            "UPDATE res_company SET fenxiao_onboarding = 'first_order' WHERE id = %s",
            [self.company.id],
        )
        self.company.invalidate_recordset(["fenxiao_onboarding"])
        self.customer._fenxiao_bind(self.a1, "visit")
        self._pay(self._order(self.customer))
        self.assertFalse(self.customer.fenxiao_self_distributor_id)


@tagged("post_install", "-at_install")
class TestCompliance(FenxiaoNetworkCase):
    def test_levels_capped_at_three(self):
        self.company.fenxiao_max_levels = 3
        for levels in (0, 4, 10):
            with self.assertRaisesRegex(ValidationError, "禁止传销条例"):
                self.company.fenxiao_max_levels = levels

    def test_default_is_two_levels(self):
        self.assertEqual(self.env["res.company"].create({"name": "新店"}).fenxiao_max_levels, 2)


@tagged("post_install", "-at_install")
class TestNetworkAccess(FenxiaoNetworkCase):
    def test_distribution_users_read_managers_change(self):
        self.assertEqual(self.a.with_user(self.officer).team_size, 2)
        with self.assertRaises(AccessError):
            self.a.with_user(self.officer).write({"name": "x"})
        with self.assertRaises(AccessError):
            self.Distributor.with_user(self.officer).create({"partner_id": self.customer.id})
        self.Distributor.with_user(self.manager).create({"partner_id": self.customer.id})

    def test_portal_user_reads_only_their_own_record(self):
        portal = self.env["res.users"].create(
            {
                "name": "甲 portal",
                "login": "fx_portal_a",
                "partner_id": self.a.partner_id.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        visible = self.Distributor.with_user(portal).search([])
        self.assertEqual(visible, self.a, "the team is the distributor centre's to show, masked")
        for other in (self.a1, self.b):
            with self.assertRaises(AccessError):
                other.with_user(portal).read(["name"])
        with self.assertRaises(AccessError):
            self.a.with_user(portal).write({"name": "改名"})
        # nor their upline; a distributor's name reads masked to them wherever
        # a many2one shows it (a many2one's name is read as superuser)
        with self.assertRaises(AccessError):
            self.a.with_user(portal).read(["parent_id"])
        self.assertEqual(self.root.with_user(portal).sudo().display_name, "根****t")
        self.assertEqual(self.a.with_user(portal).display_name, "甲 portal")

    def test_portal_user_without_distributor_sees_nobody(self):
        portal = self.env["res.users"].create(
            {
                "name": "路人",
                "login": "fx_portal_nobody",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.assertFalse(self.Distributor.with_user(portal).search([]))

    def test_old_bindings_expire_protection(self):
        # A binding bound long ago and the takeover setting: checked with real dates too.
        self.customer._fenxiao_bind(self.a, "visit")
        self.customer.sudo().write(
            {"fenxiao_bound_date": self.customer.fenxiao_bound_date - timedelta(days=31)}
        )
        self.company.fenxiao_binding_takeover = True
        self.assertTrue(self.customer._fenxiao_bind(self.b, "visit"))
