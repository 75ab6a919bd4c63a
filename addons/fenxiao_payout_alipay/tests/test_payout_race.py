"""Two Pay Out clicks at once, on two real database connections: one transfer.

The data is committed through cursors of the test's own (another connection
cannot see the test's transaction) and removed afterwards, as
fenxiao_commission's test_races does.
"""

import json

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.fenxiao_commission.tests.common import ensure_encryption_key
from odoo.addons.fenxiao_commission.tests.race import race
from odoo.addons.payment_alipay.tests.alipay_simulator import AlipaySimulator, new_rsa_key

APP_ID = "2021004100000888"
LOGON_ID = "race.payee@example.com"
PROVIDER_FIELDS = (
    "state",
    "alipay_app_id",
    "alipay_app_private_key",
    "alipay_key_mode",
    "alipay_public_key",
    "alipay_app_cert",
    "alipay_public_cert",
    "alipay_root_cert",
    "alipay_gateway_url",
    "alipay_transfer_enabled",
)


@tagged("post_install", "-at_install")
class TestAlipayPayoutRace(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_encryption_key(cls)
        app_private, app_public = new_rsa_key()
        cls.simulator = AlipaySimulator(APP_ID, app_public, certificate_mode=True).start()
        cls.addClassCleanup(cls.simulator.stop)
        cls.simulator.payees[LOGON_ID] = "并发"
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env.ref("base.main_company")
            company._fenxiao_commission_setup_accounting()
            provider = env.ref("payment_alipay.payment_provider_alipay")
            cls.provider_values = provider.read(PROVIDER_FIELDS + ("company_id",))[0]
            provider.write(
                {
                    "state": "test",
                    "company_id": company.id,
                    **cls.simulator.provider_values(app_private),
                    "alipay_transfer_enabled": True,
                }
            )
            partner = env["res.partner"].create({"name": "并发 Alipay"})
            distributor = env["fenxiao.distributor"].create(
                {"partner_id": partner.id, "state": "active"}
            )
            account = env["fenxiao.payout.account"].create(
                {
                    "distributor_id": distributor.id,
                    "method": "alipay",
                    "holder_name": "并发",
                    "account_number": LOGON_ID,
                }
            )
            # 100.00 settled into the distributor's payable
            move = env["account.move"].create(
                {
                    "journal_id": company.fenxiao_commission_journal_id.id,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": company.fenxiao_commission_payable_account_id.id,
                                "partner_id": partner.id,
                                "credit": 100.0,
                            }
                        ),
                        Command.create(
                            {
                                "account_id": company.fenxiao_commission_expense_account_id.id,
                                "debit": 100.0,
                            }
                        ),
                    ],
                }
            )
            move.action_post()
            cls.ids = {
                "provider": provider.id,
                "partner": partner.id,
                "distributor": distributor.id,
                "account": account.id,
                "move": move.id,
            }
        cls.addClassCleanup(cls._remove_data)

    @classmethod
    def _remove_data(cls):
        ids = cls.ids
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            values = {
                key: value[0] if isinstance(value, tuple) else value
                for key, value in cls.provider_values.items()
                if key != "id"
            }
            env["payment.provider"].browse(ids["provider"]).write(values)
            # Posted entries and the ledger are append-only in the ORM: below it.
            cr.execute(
                "SELECT id, fee_move_id FROM fenxiao_withdrawal WHERE distributor_id = %s",
                [ids["distributor"]],
            )
            rows = cr.fetchall()
            cr.execute(
                "SELECT move_id FROM account_payment WHERE partner_id = %s", [ids["partner"]]
            )
            moves = [ids["move"]] + [row[0] for row in cr.fetchall()]
            moves += [row[1] for row in rows if row[1]]
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'fenxiao.withdrawal' AND res_id = ANY(%s)",
                [[row[0] for row in rows]],
            )
            cr.execute(
                "DELETE FROM fenxiao_withdrawal WHERE distributor_id = %s", [ids["distributor"]]
            )
            cr.execute("DELETE FROM account_payment WHERE partner_id = %s", [ids["partner"]])
            cr.execute(
                "DELETE FROM account_partial_reconcile WHERE debit_move_id IN "
                "(SELECT id FROM account_move_line WHERE move_id = ANY(%s)) OR credit_move_id IN "
                "(SELECT id FROM account_move_line WHERE move_id = ANY(%s))",
                [moves, moves],
            )
            cr.execute(
                "UPDATE account_move_line SET full_reconcile_id = NULL WHERE move_id = ANY(%s)",
                [moves],
            )
            cr.execute("DELETE FROM account_move WHERE id = ANY(%s)", [moves])
            cr.execute("DELETE FROM fenxiao_payout_account WHERE id = %s", [ids["account"]])
            cr.execute(
                "DELETE FROM fenxiao_distributor_log WHERE distributor_id = %s",
                [ids["distributor"]],
            )
            cr.execute("DELETE FROM fenxiao_distributor WHERE id = %s", [ids["distributor"]])
            cr.execute("DELETE FROM res_partner WHERE id = %s", [ids["partner"]])

    def _race(self, first, second):
        """Run ``first`` and ``second`` (each ``func(env)``) in overlapping
        transactions: the second takes its snapshot before the first commits.

        Returns {"first": result or exception, "second": ...}.
        """
        return race(self.registry, first, second, wait=20)[0]

    def test_two_pay_out_clicks_at_once_send_one_transfer(self):
        with self.registry.cursor() as cr:
            cr.transaction = api.Transaction(self.registry)
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            withdrawal = env["fenxiao.withdrawal"]._fenxiao_request(
                env["fenxiao.distributor"].browse(self.ids["distributor"]),
                20.0,
                env["fenxiao.payout.account"].browse(self.ids["account"]),
            )
            withdrawal.action_approve()
            withdrawal_id, biz_no = withdrawal.id, withdrawal._alipay_biz_no()

        def pay_out(env):
            env["fenxiao.withdrawal"].browse(withdrawal_id).action_payout()
            return "sent"

        results = self._race(pay_out, pay_out)
        self.assertEqual(results["first"], "sent")
        self.assertIsInstance(results["second"], UserError)
        self.assertIn("already been handled", str(results["second"]))
        transfers = [
            params
            for params in self.simulator.received
            if params.get("method") == "alipay.fund.trans.uni.transfer"
            and json.loads(params["biz_content"])["out_biz_no"] == biz_no
        ]
        self.assertEqual(len(transfers), 1, "one request reached Alipay")
        self.assertEqual(json.loads(transfers[0]["biz_content"])["trans_amount"], "20.00")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT w.state, count(p.id) FROM fenxiao_withdrawal w "
                "LEFT JOIN account_payment p ON p.id = w.payment_id "
                "WHERE w.id = %s GROUP BY w.state",
                [withdrawal_id],
            )
            self.assertEqual(cr.fetchall(), [("paid", 1)])

    def test_a_payout_killed_before_its_commit_is_found_by_the_cron(self):
        """On real connections: the Pay Out's transaction is rolled back after
        Alipay paid, as when its server dies; the attempt it noted in a
        transaction of its own is still there, and the cron finds the payout."""

        def env_of(cr):
            cr.transaction = api.Transaction(self.registry)
            return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

        with self.registry.cursor() as cr:
            withdrawal = env_of(cr)["fenxiao.withdrawal"]._fenxiao_request(
                env_of(cr)["fenxiao.distributor"].browse(self.ids["distributor"]),
                10.0,
                env_of(cr)["fenxiao.payout.account"].browse(self.ids["account"]),
            )
            withdrawal.action_approve()
            withdrawal_id, name = withdrawal.id, withdrawal.name
            biz_no = withdrawal._alipay_biz_no()
        with self.registry.cursor() as cr:
            env_of(cr)["fenxiao.withdrawal"].browse(withdrawal_id).action_payout()
            env_of(cr).flush_all()
            cr.rollback()  # the server died before the commit
        self.assertEqual(self.simulator.transfers[biz_no]["status"], "SUCCESS")

        def seen(cr):
            cr.execute(
                "SELECT w.state, w.alipay_out_biz_no, count(a.id) FROM fenxiao_withdrawal w "
                "LEFT JOIN fenxiao_withdrawal_payout_attempt a ON a.withdrawal_id = w.id "
                "WHERE w.id = %s GROUP BY w.id",
                [withdrawal_id],
            )
            return cr.fetchone()

        with self.registry.cursor() as cr:
            self.assertEqual(seen(cr), ("approved", None, 1), "the attempt outlived the rollback")
            cr.execute(
                "UPDATE fenxiao_withdrawal_payout_attempt "
                "SET create_date = create_date - interval '15 minutes' WHERE withdrawal_id = %s",
                [withdrawal_id],
            )
        for _run in range(2):
            with self.registry.cursor() as cr:
                env_of(cr)["fenxiao.withdrawal"]._cron_alipay_sync_transfers()
        with self.registry.cursor() as cr:
            self.assertEqual(seen(cr), ("paid", biz_no, 0))
            cr.execute("SELECT count(*) FROM account_payment WHERE memo = %s", [name])
            self.assertEqual(cr.fetchone(), (1,), "booked once")
        transfers = [
            params
            for params in self.simulator.received
            if params.get("method") == "alipay.fund.trans.uni.transfer"
            and json.loads(params["biz_content"])["out_biz_no"] == biz_no
        ]
        self.assertEqual(len(transfers), 1, "sent once, never by the cron")
