import re
from datetime import date

from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.fenxiao.tools.params import parse_id, parse_page, parse_text
from odoo.addons.fenxiao_commission.models.fenxiao_payout_account import MOBILE_RE
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PAGE_SIZE = 20
LEDGER_STATES = ("frozen", "available", "settled")
LEDGER_KINDS = ("commission", "reversal", "reward")
MONTH_RE = re.compile(r"(20\d\d)-(0[1-9]|1[0-2])", re.ASCII)
# what a distributor can type into the centre's forms, at most
MAX_TEXT = 500


class FenxiaoDistributorCentre(CustomerPortal):
    """我的分销: the distributor centre in the portal.

    Every route works on the signed-in user's own distributor record, found
    from their partner; no route takes a distributor, member or order id, so
    there is no id to change in a URL. Reads go through sudo with explicit
    bounds (own ledger, own withdrawals, own team by ``parent_path``) and the
    templates only ever receive masked names and phone numbers of others.
    """

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _fenxiao_distributor(self):
        return request.env.user.partner_id.sudo().fenxiao_self_distributor_id

    def _fenxiao_values(self, distributor, page_name, **values):
        result = self._prepare_portal_layout_values()
        result.update(
            distributor=distributor,
            currency=distributor.currency_id or request.env.company.currency_id,
            page_name=page_name,
            **values,
        )
        return result

    def _fenxiao_render(self, template, distributor, page_name, **values):
        return request.render(
            f"fenxiao_portal.{template}",
            self._fenxiao_values(distributor, page_name, **values),
        )

    def _fenxiao_active_or_redirect(self):
        """(distributor, None) for an enrolled distributor, else (None, a redirect
        to the page that explains how to become one)."""
        distributor = self._fenxiao_distributor()
        if not distributor or distributor.state in ("applicant", "disqualified"):
            return None, request.redirect("/my/fenxiao")
        return distributor, None

    @staticmethod
    def _fenxiao_page(page):
        return parse_page(page)

    @staticmethod
    def _fenxiao_level_labels():
        """How the centre names the levels of a team, relative to the reader."""
        labels = {1: request.env._("Direct")}
        for level in (2, 3):
            labels[level] = request.env._("Level %(level)s", level=level)
        return labels

    def _fenxiao_tz(self):
        return request.env.user.tz or "Asia/Shanghai"

    # ------------------------------------------------------------------
    # Portal home: a card for the centre
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "fenxiao_team_count" in counters:
            distributor = self._fenxiao_distributor()
            values["fenxiao_team_count"] = distributor.team_size if distributor else 0
        return values

    # ------------------------------------------------------------------
    # Dashboard, or how to become a distributor
    # ------------------------------------------------------------------
    @http.route("/my/fenxiao", type="http", auth="user", website=True)
    def fenxiao_home(self, **kw):
        distributor = self._fenxiao_distributor()
        if not distributor or distributor.state in ("applicant", "disqualified"):
            company = (
                request.env.user.partner_id.sudo().fenxiao_distributor_id.company_id
                or request.env.company
            ).sudo()
            return self._fenxiao_render(
                "portal_fenxiao_join",
                distributor,
                "fenxiao_join",
                onboarding=company.fenxiao_onboarding,
                company=company,
                spend_threshold=company.fenxiao_spend_threshold,
                error=None,
                form={},
            )
        dashboard = distributor._portal_dashboard(self._fenxiao_tz())
        peak = max([amount for __, amount in dashboard["series"]] + [0.01])
        rank, ranked = dashboard["rank"]
        return self._fenxiao_render(
            "portal_fenxiao_dashboard",
            distributor,
            "fenxiao_dashboard",
            dashboard=dashboard,
            chart_peak=peak,
            rank_label=rank and request.env._("No. %(rank)s of %(count)s", rank=rank, count=ranked),
            # the latest confirmed review (考核) and the reason the shop gave
            latest_review=request.env["fenxiao.review"]
            .sudo()
            .search(
                [("distributor_id", "=", distributor.id), ("state", "=", "confirmed")], limit=1
            ),
        )

    @http.route("/my/fenxiao/apply", type="http", auth="user", website=True, methods=["POST"])
    def fenxiao_apply(self, name="", mobile="", message="", **kw):
        partner = request.env.user.partner_id
        name = parse_text(name, "name", max_length=MAX_TEXT)
        mobile = parse_text(mobile, "mobile", max_length=MAX_TEXT)
        message = parse_text(message, "message", max_length=10 * MAX_TEXT, multiline=True)
        form = {"name": name[:MAX_TEXT], "mobile": mobile[:MAX_TEXT], "message": message}
        name = (name or "").strip()
        mobile = re.sub(r"[\s-]", "", mobile or "")
        message = (message or "").strip()
        error = None
        if not name or len(name) > 30:
            error = request.env._("Enter your real name (at most 30 characters).")
        elif not MOBILE_RE.match(mobile):
            error = request.env._("Enter an 11-digit mainland mobile number, e.g. 13812345678.")
        elif len(message) > MAX_TEXT:
            error = request.env._("Keep the message under %(max)s characters.", max=MAX_TEXT)
        if not error:
            try:
                with request.env.cr.savepoint():
                    # sudo: a portal user may not write their own mobile; the
                    # application is theirs, made with their own partner only.
                    partner.sudo().write({"name": name, "mobile": mobile})
                    distributor = partner.sudo()._fenxiao_onboard("application")
                    distributor._portal_notify_application(message)
            except UserError as exc:
                request.env.invalidate_all()
                error = exc.args[0]
        if error:
            distributor = self._fenxiao_distributor()
            company = (
                partner.sudo().fenxiao_distributor_id.company_id or request.env.company
            ).sudo()
            return self._fenxiao_render(
                "portal_fenxiao_join",
                distributor,
                "fenxiao_join",
                onboarding=company.fenxiao_onboarding,
                company=company,
                spend_threshold=company.fenxiao_spend_threshold,
                error=error,
                form=form,
            )
        return request.redirect("/my/fenxiao")

    # ------------------------------------------------------------------
    # Team
    # ------------------------------------------------------------------
    @http.route(
        ["/my/fenxiao/team", "/my/fenxiao/team/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def fenxiao_team(self, page=1, level="1", **kw):
        distributor, redirect = self._fenxiao_active_or_redirect()
        if redirect:
            return redirect
        levels = distributor._portal_team_levels()
        level = parse_id(level, "level", default=1)
        level = level if level in levels else 1
        page = self._fenxiao_page(page)
        rows, total = distributor._portal_team_page(level, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        pager = portal_pager(
            url="/my/fenxiao/team",
            url_args={"level": level},
            total=total,
            page=page,
            step=PAGE_SIZE,
        )
        return self._fenxiao_render(
            "portal_fenxiao_team",
            distributor,
            "fenxiao_team",
            levels=levels,
            level=level,
            level_labels=self._fenxiao_level_labels(),
            members=rows,
            pager=pager,
        )

    # ------------------------------------------------------------------
    # Orders the team brought
    # ------------------------------------------------------------------
    @http.route(
        ["/my/fenxiao/orders", "/my/fenxiao/orders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def fenxiao_orders(self, page=1, **kw):
        distributor, redirect = self._fenxiao_active_or_redirect()
        if redirect:
            return redirect
        page = self._fenxiao_page(page)
        Order = request.env["sale.order"].sudo()
        domain = distributor._portal_orders_domain()
        total = Order.search_count(domain)
        orders = Order.search(
            domain, order="date_order desc, id desc", offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        pager = portal_pager(url="/my/fenxiao/orders", total=total, page=page, step=PAGE_SIZE)
        return self._fenxiao_render(
            "portal_fenxiao_orders",
            distributor,
            "fenxiao_orders",
            orders=distributor._portal_order_rows(orders),
            pager=pager,
        )

    # ------------------------------------------------------------------
    # Commission ledger and statement
    # ------------------------------------------------------------------
    @http.route(
        ["/my/fenxiao/commission", "/my/fenxiao/commission/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def fenxiao_commission(self, page=1, state="", kind="", month="", **kw):
        distributor, redirect = self._fenxiao_active_or_redirect()
        if redirect:
            return redirect
        state = state if state in LEDGER_STATES else ""
        kind = kind if kind in LEDGER_KINDS else ""
        month_match = isinstance(month, str) and MONTH_RE.fullmatch(month)
        month = month if month_match else ""
        domain = distributor._portal_ledger_domain(
            state=state,
            kind=kind,
            month=month_match and date(int(month_match.group(1)), int(month_match.group(2)), 1),
            tz_name=self._fenxiao_tz(),
        )
        Line = request.env["fenxiao.commission.line"].sudo()
        page = self._fenxiao_page(page)
        total = Line.search_count(domain)
        lines = Line.search(
            domain, order="date desc, id desc", offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        filters = {"state": state, "kind": kind, "month": month}
        pager = portal_pager(
            url="/my/fenxiao/commission",
            url_args={key: value for key, value in filters.items() if value},
            total=total,
            page=page,
            step=PAGE_SIZE,
        )
        total_amount = Line._read_group(domain, aggregates=["amount:sum"])[0][0]
        return self._fenxiao_render(
            "portal_fenxiao_commission",
            distributor,
            "fenxiao_commission",
            lines=lines,
            filters=filters,
            total_amount=total_amount or 0.0,
            line_count=total,
            level_labels=self._fenxiao_level_labels(),
            states=dict(Line._fields["state"]._description_selection(request.env)),
            kinds=dict(Line._fields["kind"]._description_selection(request.env)),
            pager=pager,
        )

    @http.route("/my/fenxiao/statement", type="http", auth="user", website=True)
    def fenxiao_statement(self, date_from="", date_to="", **kw):
        distributor, redirect = self._fenxiao_active_or_redirect()
        if redirect:
            return redirect
        today = distributor._portal_day_bounds(self._fenxiao_tz())[1]
        start = self._fenxiao_parse_date(date_from) or today.replace(day=1)
        end = self._fenxiao_parse_date(date_to) or today
        error = None
        if start > end:
            error = request.env._("The period ends before it starts.")
            start, end = today.replace(day=1), today
        figures = distributor._portal_statement(start, end)
        return self._fenxiao_render(
            "portal_fenxiao_statement",
            distributor,
            "fenxiao_statement",
            figures=figures,
            date_from=start,
            date_to=end,
            error=error,
        )

    @staticmethod
    def _fenxiao_parse_date(value):
        try:
            day = date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
        return day if date(2000, 1, 1) <= day <= date(2100, 1, 1) else None

    # ------------------------------------------------------------------
    # Withdrawals and payout accounts
    # ------------------------------------------------------------------
    def _fenxiao_withdraw_page(self, distributor, error=None, message=None, form=None):
        balances = distributor.env["fenxiao.withdrawal"]._balances(distributor)[distributor]
        company = distributor.company_id
        withdrawals = (
            request.env["fenxiao.withdrawal"]
            .sudo()
            .search([("distributor_id", "=", distributor.id)], order="id desc", limit=30)
        )
        accounts = (
            request.env["fenxiao.payout.account"]
            .sudo()
            .search([("distributor_id", "=", distributor.id)], order="id")
        )
        Withdrawal = request.env["fenxiao.withdrawal"]
        return self._fenxiao_render(
            "portal_fenxiao_withdraw",
            distributor,
            "fenxiao_withdraw",
            balances=balances,
            company=company,
            withdrawals=withdrawals,
            accounts=accounts,
            withdrawal_states=dict(Withdrawal._fields["state"]._description_selection(request.env)),
            methods=dict(
                request.env["fenxiao.payout.account"]
                ._fields["method"]
                ._description_selection(request.env)
            ),
            error=error,
            message=message,
            form=form or {},
        )

    @staticmethod
    def _fenxiao_own_payout_account(distributor, payout_account_id):
        """The distributor's own active account of that id; another's reads as none."""
        account = request.env["fenxiao.payout.account"].sudo()
        try:
            account_id = parse_id(payout_account_id, "payout_account_id")
        except BadRequest:
            # a form: the page says the account is not theirs, as for another's
            return account
        if not account_id:
            return account
        return account.search(
            [("id", "=", account_id), ("distributor_id", "=", distributor.id)], limit=1
        )

    @http.route("/my/fenxiao/withdraw", type="http", auth="user", website=True, methods=["GET"])
    def fenxiao_withdraw(self, requested=None, **kw):
        distributor, redirect = self._fenxiao_active_or_redirect()
        if redirect:
            return redirect
        message = None
        if requested:
            message = request.env._("Your request has been sent: the shop reviews it shortly.")
        return self._fenxiao_withdraw_page(distributor, message=message)

    @http.route(
        "/my/fenxiao/withdraw/request", type="http", auth="user", website=True, methods=["POST"]
    )
    def fenxiao_withdraw_request(self, amount="", payout_account_id="", **kw):
        distributor, redirect = self._fenxiao_active_or_redirect()
        if redirect:
            return redirect
        form = {"amount": str(amount)[:20], "payout_account_id": str(payout_account_id)[:20]}
        account = self._fenxiao_own_payout_account(distributor, payout_account_id)
        try:
            with request.env.cr.savepoint():
                withdrawal = request.env["fenxiao.withdrawal"]._fenxiao_request(
                    distributor, str(amount).strip()[:20], account
                )
        except UserError as exc:  # AccessError and ValidationError included
            request.env.invalidate_all()
            return self._fenxiao_withdraw_page(distributor, error=exc.args[0], form=form)
        return request.redirect(f"/my/fenxiao/withdraw?requested={withdrawal.id}")

    @http.route(
        "/my/fenxiao/payout-account/add",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def fenxiao_payout_account_add(
        self, method="", holder_name="", account_number="", bank_name="", **kw
    ):
        distributor, redirect = self._fenxiao_active_or_redirect()
        if redirect:
            return redirect
        holder_name = parse_text(holder_name, "holder_name", max_length=MAX_TEXT)
        bank_name = parse_text(bank_name, "bank_name", max_length=MAX_TEXT)
        account_number = parse_text(account_number, "account_number", max_length=MAX_TEXT)
        try:
            request.env["fenxiao.payout.account"].sudo()._portal_add(
                distributor, method, holder_name, bank_name, account_number
            )
        except ValidationError as invalid:
            return self._fenxiao_withdraw_page(
                distributor,
                error=invalid.args[0],
                form={
                    "method": (method or "")[:10],
                    "holder_name": (holder_name or "").strip()[:30],
                    "bank_name": (bank_name or "").strip()[:60],
                },
            )
        return request.redirect("/my/fenxiao/withdraw")

    @http.route(
        "/my/fenxiao/payout-account/remove",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def fenxiao_payout_account_remove(self, payout_account_id="", **kw):
        distributor, redirect = self._fenxiao_active_or_redirect()
        if redirect:
            return redirect
        account = self._fenxiao_own_payout_account(distributor, payout_account_id)
        if not account:
            return self._fenxiao_withdraw_page(
                distributor, error=request.env._("This payout account is not yours.")
            )
        # archived, not deleted: past withdrawals keep pointing to it
        account.active = False
        return request.redirect("/my/fenxiao/withdraw")

    # ------------------------------------------------------------------
    # Invite
    # ------------------------------------------------------------------
    def _fenxiao_invite_url(self, distributor):
        return f"{request.website.get_base_url()}/r/{distributor.referral_code}"

    @http.route("/my/fenxiao/invite", type="http", auth="user", website=True)
    def fenxiao_invite(self, **kw):
        distributor, redirect = self._fenxiao_active_or_redirect()
        if redirect:
            return redirect
        return self._fenxiao_render(
            "portal_fenxiao_invite",
            distributor,
            "fenxiao_invite",
            invite_url=self._fenxiao_invite_url(distributor),
        )

    def _fenxiao_png(self, data, filename, download):
        headers = [("Content-Type", "image/png"), ("Cache-Control", "private, max-age=3600")]
        if download:
            headers.append(("Content-Disposition", f'attachment; filename="{filename}"'))
        return request.make_response(data, headers)

    @http.route("/my/fenxiao/invite/qr.png", type="http", auth="user", website=True)
    def fenxiao_invite_qr(self, download=None, **kw):
        distributor = self._fenxiao_distributor()
        if not distributor or distributor.state not in ("active", "suspended"):
            return request.not_found()
        data = request.env["fenxiao.poster"]._qr_png(self._fenxiao_invite_url(distributor))
        return self._fenxiao_png(data, f"invite-{distributor.referral_code}-qr.png", download)

    @http.route("/my/fenxiao/invite/poster.png", type="http", auth="user", website=True)
    def fenxiao_invite_poster(self, download=None, **kw):
        distributor = self._fenxiao_distributor()
        if not distributor or distributor.state not in ("active", "suspended"):
            return request.not_found()
        data = request.env["fenxiao.poster"]._invite_poster_png(
            distributor, self._fenxiao_invite_url(distributor)
        )
        return self._fenxiao_png(data, f"invite-{distributor.referral_code}.png", download)
