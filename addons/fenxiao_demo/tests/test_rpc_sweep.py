import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.auth_phone_otp.utils import mask_phone
from odoo.addons.fenxiao.models.fenxiao_distributor import mask_name

from .test_route_sweep import records_of

# what a refused call may answer: Odoo's own errors, never a crash
CLEAN_ERRORS = ("odoo.exceptions.", "werkzeug.exceptions.", "odoo.http.SessionExpiredException")
# Odoo's own models whose create or search reads its arguments before it
# checks the access rights: a portal user's call answers a JSON error named
# KeyError or ValueError instead of AccessError. Nothing is written and
# nothing shown, and the code is Odoo's, not ours to patch: listed by name so
# that any other model, and every model of the suite, must answer cleanly.
ODOO_CORE_UNCLEAN = {
    ("account.move.line", "create"),
    ("mail.notification", "create"),
    ("res.lang", "create"),
    ("slide.slide", "create"),
    # an abstract model with an access right: there is no table to search
    ("website.seo.metadata", "search_read"),
}
# a portal user's search_read of a model: enough rows to see whose they are
LIMIT = 80


@tagged("post_install", "-at_install")
class TestRpcSweep(HttpCase):
    """Every model a portal user has an access right on, called through
    /web/dataset/call_kw as a real browser session would: reading answers
    only the user's own records, refused calls answer an AccessError (never a
    server error), and what the distributor centre masks stays masked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.users = {
            "shopper": env.ref("fenxiao_demo.user_demo_shopper"),
            "distributor": env.ref("fenxiao_demo.user_demo_distributor"),
        }

    def _models(self, user):
        """Models on which ``user``'s groups (implied ones included) have an
        access right, each with the operations its access rights grant."""
        accesses = (
            self.env["ir.model.access"]
            .sudo()
            .search([("group_id", "in", user.groups_id.ids), ("active", "=", True)])
        )
        models = {}
        for access in accesses:
            name = access.model_id.model
            if name not in self.env:
                continue
            granted = models.setdefault(name, set())
            for mode in ("read", "write", "create", "unlink"):
                if access[f"perm_{mode}"]:
                    granted.add(mode)
        return models

    def _rpc(self, model, method, args, kwargs=None):
        """(result, error name or None) of one JSON-RPC call_kw."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        self.assertLess(response.status_code, 500, f"{model}.{method}: {response.status_code}")
        body = response.json()
        error = body.get("error")
        return body.get("result"), error and error["data"]["name"]

    def _secrets_of_others(self, user):
        """Strings ``user`` must never receive: the full names and phone numbers
        of the other demo user, of the distributor's team and of the customers
        of the team's orders (the centre shows them masked)."""
        env = self.env(su=True)
        others = env["res.partner"]
        for other in self.users.values():
            if other != user:
                others |= other.partner_id
        distributor = user.partner_id.fenxiao_self_distributor_id
        if distributor:
            team = env["fenxiao.distributor"].search(
                [("id", "child_of", distributor.id), ("id", "!=", distributor.id)]
            )
            others |= team.partner_id
            orders = env["sale.order"].search(distributor._portal_orders_domain())
            others |= orders.partner_id.commercial_partner_id
        others -= user.partner_id
        secrets = set()
        for partner in others:
            for value in (partner.name, partner.mobile, partner.phone):
                # a masked value is what the centre shows: that is not a leak
                if value and value not in (mask_name(value), mask_phone(value)):
                    secrets.add(value)
        return secrets

    def _sweep(self, login):
        failures = []
        user = self.users[login]
        self.authenticate(login, login)
        secrets = self._secrets_of_others(user)
        others = {
            model: records
            for other in self.users.values()
            if other != user
            for model, records in records_of(self.env, other.partner_id).items()
        }
        for model, granted in sorted(self._models(user).items()):
            fields, error = self._rpc(model, "fields_get", [], {"attributes": ["type"]})
            if error:
                failures.append(f"{login} {model}.fields_get: {error}")
                continue
            names = sorted(fields)
            if (model, "search_read") in ODOO_CORE_UNCLEAN:
                continue
            rows, error = self._rpc(model, "search_read", [[]], {"fields": names, "limit": LIMIT})
            if error and not error.startswith(CLEAN_ERRORS):
                failures.append(f"{login} {model}.search_read: {error}")
            text = json.dumps(rows or [], ensure_ascii=False, default=str)
            leaked = sorted(secret for secret in secrets if secret in text)
            if leaked:
                failures.append(f"{login} {model}.search_read shows {leaked}")
            theirs = others.get(model)
            if theirs:
                result, error = self._rpc(model, "read", [theirs.ids[:LIMIT], names])
                if not error:
                    failures.append(f"{login} {model}.read of another user's {theirs.ids[:5]}")
                elif not error.startswith(CLEAN_ERRORS):
                    failures.append(f"{login} {model}.read of another user's: {error}")
            own = [row["id"] for row in rows or []][:1]
            for mode, args in (
                ("write", [own, {}]),
                ("unlink", [own]),
                ("create", [[{}]]),
            ):
                if mode in granted or (mode != "create" and not own):
                    continue
                if (model, mode) in ODOO_CORE_UNCLEAN:
                    # refused all the same, with Odoo's traceback in the log
                    with mute_logger("odoo.http"):
                        __, error = self._rpc(model, mode, args)
                    self.assertTrue(error, f"{model}.{mode} was allowed")
                    continue
                __, error = self._rpc(model, mode, args)
                if error != "odoo.exceptions.AccessError":
                    failures.append(f"{login} {model}.{mode}: {error or 'allowed'}")
        return failures

    def test_shopper_reaches_only_their_own(self):
        failures = self._sweep("shopper")
        self.assertFalse(failures, f"{len(failures)} failures:\n" + "\n".join(failures))

    def test_distributor_reaches_only_their_own_and_masked(self):
        # the check below must have something to find: 李娜 has a team
        self.assertTrue(self._secrets_of_others(self.users["distributor"]))
        failures = self._sweep("distributor")
        self.assertFalse(failures, f"{len(failures)} failures:\n" + "\n".join(failures))

    def test_public_user_gets_no_session_error(self):
        """Without a session every call is refused with Odoo's own error."""
        self.authenticate(None, None)
        for model, method, args in (
            ("res.partner", "search_read", [[]]),
            ("fenxiao.distributor", "search_read", [[]]),
            ("fenxiao.payout.account", "read", [[1], ["account_number"]]),
            ("sale.order", "write", [[1], {"note": "x"}]),
            ("fenxiao.withdrawal", "create", [[{}]]),
        ):
            result, error = self._rpc(model, method, args)
            self.assertIsNone(result)
            self.assertTrue(error and error.startswith(CLEAN_ERRORS), f"{model}.{method}: {error}")
