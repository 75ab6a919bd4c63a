from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.account_move_line import EMPTY_COLUMNS, INSERTED_COLUMNS, OPTIONAL_EMPTY_COLUMNS
from .common import FenxiaoCommissionCase


@tagged("post_install", "-at_install")
class TestSettlement(FenxiaoCommissionCase):
    def test_release_waits_for_delivery_and_the_window(self):
        order = self._paid_order(self.customer, [(self.p100, 1)])
        Line = self.env["fenxiao.commission.line"]
        Line._cron_release()
        self.assertEqual(set(order.fenxiao_commission_line_ids.mapped("state")), {"frozen"})
        self._deliver(order)
        Line._cron_release()
        self.assertEqual(
            set(order.fenxiao_commission_line_ids.mapped("state")), {"frozen"}, "window not over"
        )
        self._release(order, days=7)
        self.assertEqual(set(order.fenxiao_commission_line_ids.mapped("state")), {"available"})

    def test_settlement_entry_balances_and_equals_its_lines(self):
        self.company.fenxiao_max_levels = 3
        self.customer._fenxiao_bind(self.a11, "manual")
        other = self.env["res.partner"].create({"name": "顾客二"})
        other._fenxiao_bind(self.b, "manual")
        orders = self._paid_order(self.customer, [(self.p100, 3), (self.p50, 1)])
        orders |= self._paid_order(other, [(self.p50, 7)])
        self._release(orders)
        settlement = self._settle_now()
        lines = orders.fenxiao_commission_line_ids
        self.assertEqual(settlement.line_ids, lines)
        self.assertEqual(set(lines.mapped("state")), {"settled"})
        move = settlement.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.company.fenxiao_commission_journal_id)
        self.assertEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")))
        total = self.currency.round(sum(lines.mapped("amount")))
        self.assertEqual(settlement.amount_total, total)
        payable = move.line_ids.filtered(
            lambda line: line.account_id == self.company.fenxiao_commission_payable_account_id
        )
        self.assertAlmostEqual(sum(payable.mapped("credit")), total, places=2)
        for distributor in self.a11 | self.a1 | self.a | self.b:
            earned = sum(
                lines.filtered(lambda line, d=distributor: line.distributor_id == d).mapped(
                    "amount"
                )
            )
            credited = sum(
                payable.filtered(
                    lambda line, d=distributor: line.partner_id == d.partner_id
                ).mapped("credit")
            )
            self.assertAlmostEqual(credited, earned, places=2, msg=distributor.name)
        self.assertTrue(self.a1.partner_id.supplier_rank, "the shop owes them: a vendor")
        expense = move.line_ids - payable
        self.assertEqual(expense.account_id, self.company.fenxiao_commission_expense_account_id)

    def test_the_inserted_payable_lines_are_the_lines_the_orm_writes(self):
        settlement = self._earn()
        move = settlement.move_id
        payable = move.line_ids.filtered("partner_id")
        self.assertTrue(payable)
        company = self.company
        # the same entry through the ORM, posted the same way
        reference = (
            self.env["account.move"]
            .with_context(check_move_validity=False)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": move.journal_id.id,
                    "date": move.date,
                    "ref": move.ref,
                    "line_ids": [
                        fields.Command.create(
                            {
                                "name": line.name,
                                "account_id": line.account_id.id,
                                "partner_id": line.partner_id.id,
                                "date_maturity": settlement.date_to,
                                "debit": line.debit,
                                "credit": line.credit,
                                "analytic_distribution": False,
                            }
                        )
                        for line in move.line_ids.sorted(lambda line: bool(line.partner_id))
                    ],
                }
            )
        )
        reference.action_post()
        self.env.flush_all()
        self.env.invalidate_all()
        columns = [
            name
            for name, field in self.env["account.move.line"]._fields.items()
            if field.store and field.column_type and name not in ("id", "move_id", "move_name")
        ]
        self.assertEqual(payable.account_id, company.fenxiao_commission_payable_account_id)
        for line in payable:
            twin = reference.line_ids.filtered(lambda ref, p=line.partner_id: ref.partner_id == p)
            inserted, written = line.read(columns, load=None)[0], twin.read(columns, load=None)[0]
            del inserted["id"], written["id"]
            self.assertEqual(inserted, written, line.partner_id.name)

    def test_the_insert_knows_every_column_of_account_move_line(self):
        # A column added by Odoo or a module must be looked at: fill it in
        # _fenxiao_insert_partner_lines, or list it as left empty.
        columns = {
            name
            for name, field in self.env["account.move.line"]._fields.items()
            if field.store and field.column_type and name != "id"
        }
        self.assertFalse(set(INSERTED_COLUMNS) & set(EMPTY_COLUMNS))
        known = set(INSERTED_COLUMNS) | set(EMPTY_COLUMNS)
        self.assertEqual(columns - known - set(OPTIONAL_EMPTY_COLUMNS), set(), "new columns")
        self.assertEqual(known - columns, set(), "columns gone")

    def test_a_period_settles_once(self):
        settlement = self._earn()
        move_count = self.env["account.move"].search_count([])
        again = self._settle_now()
        self.assertEqual(again, settlement)
        self.assertEqual(self.env["account.move"].search_count([]), move_count)
        # commission that became available later waits for the next period
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self._release(order)
        self.assertEqual(self._settle_now(), settlement)
        self.assertEqual(set(order.fenxiao_commission_line_ids.mapped("state")), {"available"})
        nxt = self._settle_now(settlement.date_to + self._one_week)
        self.assertEqual(nxt.line_ids, order.fenxiao_commission_line_ids)

    def test_interrupted_settlement_leaves_nothing(self):
        order = self._paid_order(self.customer, [(self.p100, 1)])
        self._release(order)
        moves = self.env["account.move"].search([])
        # the run fails after marking the lines and writing the entry's lines
        Move = type(self.env["account.move"])
        period = self.company._fenxiao_settlement_period(fields.Date.today())
        with (
            patch.object(Move, "_post", side_effect=RuntimeError("power cut")),
            self.assertLogs("odoo.addons.fenxiao_commission", level="ERROR") as logs,
            self._after(period[1]),
        ):
            self.env["fenxiao.commission.settlement"]._cron_settle_company(self.company, *period)
        self.assertIn("power cut", logs.output[0])
        self.assertFalse(
            self.env["fenxiao.commission.settlement"].search(
                [("date_to", ">=", fields.Date.today())]
            )
        )
        self.assertEqual(self.env["account.move"].search([]), moves, "no entry left posted")
        self.assertEqual(set(order.fenxiao_commission_line_ids.mapped("state")), {"available"})
        # and the next run settles it
        self.assertTrue(self._settle_now().move_id)

    def test_broken_settings_refused_clearly(self):
        self._paid_order(self.customer, [(self.p100, 1)])
        self.company.fenxiao_commission_expense_account_id = False
        with patch.object(type(self.company), "_fenxiao_commission_setup_accounting"):
            with self.assertRaisesRegex(UserError, "accounts"):
                self._settle_now()

    def test_periods(self):
        company = self.company
        day = fields.Date.to_date("2026-11-24")  # a Tuesday
        self.assertEqual(
            company._fenxiao_settlement_period(day),
            (fields.Date.to_date("2026-11-23"), fields.Date.to_date("2026-11-29")),
        )
        self.assertEqual(
            company._fenxiao_last_closed_period(day),
            (fields.Date.to_date("2026-11-16"), fields.Date.to_date("2026-11-22")),
        )
        company.fenxiao_settlement_period = "monthly"
        self.assertEqual(
            company._fenxiao_last_closed_period(day),
            (fields.Date.to_date("2026-10-01"), fields.Date.to_date("2026-10-31")),
        )

    def test_settle_wizard_refuses_open_period(self):
        wizard = self.env["fenxiao.commission.settle"].create(
            {"date_to": fields.Date.today() + self._one_week}
        )
        with self.assertRaises(UserError):
            wizard.action_settle()

    def test_a_period_closes_only_once_it_has_ended_in_china(self):
        Settlement = self.env["fenxiao.commission.settlement"]
        sunday = fields.Date.to_date("2026-11-29")
        monday = fields.Date.to_date("2026-11-23")
        # Sunday 23:00 in Hangzhou (15:00 UTC): the week has not ended
        with freeze_time("2026-11-29 15:00:00"):
            today = self.env["fenxiao.commission.settle"].create({"date_to": sunday})
            with self.assertRaisesRegex(UserError, "not ended"):
                today.action_settle()
            with self.assertRaisesRegex(UserError, "not ended"):
                Settlement._settle(self.company, monday, sunday)
            self.assertEqual(
                self.company._fenxiao_last_closed_period(),
                (fields.Date.to_date("2026-11-16"), fields.Date.to_date("2026-11-22")),
            )
        # Monday 01:00 in Hangzhou (Sunday 17:00 UTC): it has
        with freeze_time("2026-11-29 17:00:00"):
            self.assertEqual(self.company._fenxiao_last_closed_period(), (monday, sunday))
            Settlement._cron_settle()
            settlement = Settlement.search(
                [("company_id", "=", self.company.id), ("date_to", "=", sunday)]
            )
        self.assertEqual(settlement.date_from, monday)

    def test_statement(self):
        self._earn()  # a1 earns 100.00, settled
        account = self._payout_account(self.a1)
        withdrawal = self.env["fenxiao.withdrawal"]._fenxiao_request(self.a1, 60.0, account)
        withdrawal.action_approve()
        withdrawal.action_record_payment()
        order = self._paid_order(self.customer, [(self.p100, 2)])
        self._credit_note(order, {self.p100: 1})
        today = fields.Date.today()
        statement = self.env["fenxiao.commission.statement"].create(
            {
                "distributor_ids": [(6, 0, self.a1.ids)],
                "date_from": today,
                "date_to": self.company._fenxiao_settlement_period(today)[1],
            }
        )
        line = statement.line_ids
        self.assertEqual(
            (line.opening, line.earned, line.reversed, line.settled, line.withdrawn, line.closing),
            (0.0, 120.0, -10.0, 100.0, 60.0, 50.0),
        )
        action = statement.action_export_xlsx()
        self.assertTrue(action["url"].startswith("/web/content/"))
        self.env["ir.actions.report"]._render_qweb_html(
            "fenxiao_commission.report_fenxiao_statement", statement.ids
        )
