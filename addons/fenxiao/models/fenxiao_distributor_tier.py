from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.back_office import as_back_office

# An order in the company currency: orders keep their own currency, and their
# currency_rate converts the company currency into it.
ORDER_AMOUNT = SQL("o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1)")


class FenxiaoDistributor(models.Model):
    """Tier rules: each tier's conditions, evaluated for every distributor in
    a few set-based statements, then applied (up at once, down after a grace
    period when the company allows it)."""

    _inherit = "fenxiao.distributor"

    tier_at_risk_since = fields.Date(
        string="Tier at Risk Since",
        readonly=True,
        copy=False,
        groups="fenxiao.group_fenxiao_user",
        help="The day the distributor stopped meeting their tier's conditions. When the "
        "company moves distributors down, they keep their tier for the grace period.",
    )

    def _logged_write(self, vals, event, reason):
        # a new tier, whoever sets it, starts without the old one's risk
        if "tier_id" in vals:
            vals = dict(vals, tier_at_risk_since=False)
        return super()._logged_write(vals, event, reason)

    # ------------------------------------------------------------------
    # Metrics: {distributor id: value}, one statement each for all distributors
    # ------------------------------------------------------------------
    def _fenxiao_paid_orders(self, date_from):
        """The WHERE clause of the orders that count: confirmed (an order paid
        online is confirmed by its payment), ordered since ``date_from``."""
        condition = SQL("o.state = 'sale'")
        if date_from:
            condition = SQL("%s AND o.date_order >= %s", condition, date_from)
        return condition

    def _fenxiao_tier_metric_own_purchases(self, date_from):
        self.env.cr.execute(
            SQL(
                """
                SELECT d.id, SUM(%(amount)s)
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_id
                  JOIN fenxiao_distributor d ON d.partner_id = p.commercial_partner_id
                 WHERE %(orders)s AND d.id = ANY(%(ids)s)
                 GROUP BY d.id
                """,
                amount=ORDER_AMOUNT,
                orders=self._fenxiao_paid_orders(date_from),
                ids=self.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    def _fenxiao_tier_metric_personal_sales(self, date_from):
        self.env.cr.execute(
            SQL(
                """
                SELECT o.fenxiao_distributor_id, SUM(%(amount)s)
                  FROM sale_order o
                 WHERE %(orders)s AND o.fenxiao_distributor_id = ANY(%(ids)s)
                 GROUP BY o.fenxiao_distributor_id
                """,
                amount=ORDER_AMOUNT,
                orders=self._fenxiao_paid_orders(date_from),
                ids=self.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    def _fenxiao_tier_metric_team_sales(self, date_from):
        # Sales per credited distributor first, then added to everyone on its
        # parent_path ("1/5/7/": 1, 5 and 7): orders + distributors × depth
        # rows, never one scan per distributor.
        self.env.cr.execute(
            SQL(
                """
                WITH credited AS (
                    SELECT o.fenxiao_distributor_id AS id, SUM(%(amount)s) AS amount
                      FROM sale_order o
                     WHERE %(orders)s AND o.fenxiao_distributor_id IS NOT NULL
                     GROUP BY o.fenxiao_distributor_id
                )
                SELECT up.id::int, SUM(credited.amount)
                  FROM credited
                  JOIN fenxiao_distributor t ON t.id = credited.id
                 CROSS JOIN LATERAL
                       unnest(string_to_array(rtrim(t.parent_path, '/'), '/')) AS up(id)
                 WHERE up.id::int = ANY(%(ids)s)
                 GROUP BY up.id
                """,
                amount=ORDER_AMOUNT,
                orders=self._fenxiao_paid_orders(date_from),
                ids=self.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    def _fenxiao_tier_metric_paying_customers(self, date_from):
        # the distributor's own purchases are not a customer of theirs
        self.env.cr.execute(
            SQL(
                """
                SELECT d.id, COUNT(DISTINCT p.commercial_partner_id)
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_id
                  JOIN fenxiao_distributor d ON d.id = o.fenxiao_distributor_id
                 WHERE %(orders)s AND d.id = ANY(%(ids)s)
                   AND p.commercial_partner_id != d.partner_id
                 GROUP BY d.id
                """,
                orders=self._fenxiao_paid_orders(date_from),
                ids=self.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    def _fenxiao_tier_metric_courses(self, date_from):
        """Courses completed since ``date_from``, {distributor id: count}.

        A hook for a training module (eLearning): it overrides this method with
        one grouped query. Without it nobody has completed a course, so a
        "courses" condition is never met.
        """
        return {}

    def _fenxiao_tier_figures(self, pairs, now=None):
        """{(metric, period_days): {distributor id: value}} for ``self``."""
        now = now or fields.Datetime.now()
        self.env["sale.order"].flush_model(
            ["state", "date_order", "partner_id", "fenxiao_distributor_id"]
            + ["amount_untaxed", "currency_rate"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.flush_model(["parent_path", "partner_id"])
        figures = {}
        for metric, period in sorted(pairs):
            date_from = now - timedelta(days=period) if period else None
            values = getattr(self, f"_fenxiao_tier_metric_{metric}")(date_from) if self else {}
            figures[metric, period] = values
        return figures

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    @api.model
    def _fenxiao_tier_lines(self, rules, figures, distributor_id):
        """[{metric, threshold, period_days, value, met}] of one tier's ``rules``."""
        lines = []
        for rule in rules:
            value = figures[rule["metric"], rule["period_days"]].get(distributor_id) or 0.0
            lines.append(dict(rule, value=value, met=value >= rule["threshold"]))
        return lines

    @api.model
    def _fenxiao_tier_met(self, rules, logic, figures, distributor_id):
        checks = (
            (figures[rule["metric"], rule["period_days"]].get(distributor_id) or 0.0)
            >= rule["threshold"]
            for rule in rules
        )
        return all(checks) if logic == "all" else any(checks)

    @api.model
    def _fenxiao_tier_evaluation(self, distributors=None, now=None):
        """Who changes tier, and why: a list of dicts with ``distributor``,
        ``action`` (up, down, at_risk, clear), ``old_tier``, ``new_tier`` and
        ``figures`` (a list of {tier, metric, threshold, period_days, value, met}).

        Writes nothing. Only active distributors are evaluated (all of them
        without ``distributors``). The distributors are read in one statement
        and the figures of all of them come from one statement per metric and
        period: the query count does not depend on their number.
        """
        now = now or fields.Datetime.now()
        today = now.date()
        tiers = self.env["fenxiao.tier"].search([], order="sequence, id")
        rules = {tier: tier._fenxiao_rules() for tier in tiers}
        automatic = [tier for tier in tiers if rules[tier]]
        if not automatic or (distributors is not None and not distributors):
            return []
        self.flush_model(["state", "tier_id", "company_id", "tier_at_risk_since"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id, tier_id, company_id, tier_at_risk_since
                  FROM fenxiao_distributor
                 WHERE state = 'active' %s
                 ORDER BY id
                """,
                SQL("AND id = ANY(%s)", distributors.ids) if distributors is not None else SQL(),
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return []
        companies = {
            company.id: (company.fenxiao_tier_downgrade, company.fenxiao_tier_grace_days)
            for company in self.env["res.company"].browse({row[2] for row in rows})
        }
        rank = {tier.id: index for index, tier in enumerate(tiers)}
        by_id = {tier.id: tier for tier in tiers}
        floor = tiers[0]
        pairs = {
            (rule["metric"], rule["period_days"]) for tier in automatic for rule in rules[tier]
        }
        figures = self.browse([row[0] for row in rows])._fenxiao_tier_figures(pairs, now)
        Tier = tiers.browse()

        # read once: a record's field in this loop costs a cache lookup each
        # time, hundreds of thousands of times over a large network
        logic = {tier: tier.condition_logic for tier in tiers}

        def met(tier, distributor_id):
            return self._fenxiao_tier_met(rules[tier], logic[tier], figures, distributor_id)

        changes = []
        for distributor_id, tier_id, company_id, at_risk_since in rows:
            current = by_id.get(tier_id) or Tier.browse(tier_id)
            current_rank = rank.get(tier_id, -1)
            reached = next((t for t in reversed(automatic) if met(t, distributor_id)), Tier)
            downgrade, grace_days = companies[company_id]
            if reached and rank[reached.id] > current_rank:
                decision = ("up", reached, [reached])
            elif current in rules and rules[current] and not met(current, distributor_id):
                if not downgrade:
                    continue
                target = reached or (floor if rank[floor.id] < current_rank else Tier)
                if not at_risk_since:
                    decision = ("at_risk", current, [current])
                elif target and at_risk_since + timedelta(days=grace_days) <= today:
                    decision = ("down", target, [current] + ([target] if rules[target] else []))
                else:
                    continue
            elif at_risk_since:
                decision = ("clear", current, [current] if rules.get(current) else [])
            else:
                continue
            action, new_tier, shown = decision
            changes.append(
                {
                    "distributor": self.browse(distributor_id),
                    "action": action,
                    "old_tier": current,
                    "new_tier": new_tier,
                    "figures": [
                        dict(line, tier=tier.display_name)
                        for tier in shown
                        for line in self._fenxiao_tier_lines(rules[tier], figures, distributor_id)
                    ],
                }
            )
        return changes

    @api.model
    def _fenxiao_tier_figures_text(self, lines):
        Condition = self.env["fenxiao.tier.condition"]
        return "\n".join(
            "{}: {}".format(
                line["tier"],
                Condition._fenxiao_sentence(
                    line["metric"], line["threshold"], line["period_days"], line["value"]
                ),
            )
            for line in lines
        )

    @api.model
    def _fenxiao_tier_apply(self, changes, now=None):
        """Write ``changes`` (from ``_fenxiao_tier_evaluation``): the tier with
        its log and the figures that decided it, the at-risk mark, and a
        message to the distributor."""
        today = (now or fields.Datetime.now()).date()
        Log = self.env["fenxiao.distributor.log"].sudo()
        for change in changes:
            distributor = change["distributor"].sudo()
            company = distributor.company_id
            office = as_back_office(distributor, company)
            env = office.env
            new_tier, old_tier = change["new_tier"], change["old_tier"]
            figures = office._fenxiao_tier_figures_text(change["figures"])
            action = change["action"]
            if action in ("up", "down"):
                if action == "up":
                    reason = env._("Tier conditions of %s met", new_tier.with_env(env).name)
                    message = env._(
                        "Congratulations, you have reached the tier %s.",
                        new_tier.with_env(env).name,
                    )
                else:
                    reason = env._(
                        "Tier conditions of %s no longer met after the grace period",
                        old_tier.with_env(env).name,
                    )
                    message = env._(
                        "You no longer meet the conditions of %(old)s: your tier is now %(new)s.",
                        old=old_tier.with_env(env).name,
                        new=new_tier.with_env(env).name,
                    )
                distributor.with_context(fenxiao_logged_change=True).write(
                    {"tier_id": new_tier.id, "tier_at_risk_since": False}
                )
                Log.create(
                    {
                        "distributor_id": distributor.id,
                        "event": "tier",
                        "reason": reason,
                        "old_tier_id": old_tier.id,
                        "new_tier_id": new_tier.id,
                        "figures": figures,
                    }
                )
            elif action == "at_risk":
                distributor.tier_at_risk_since = today
                message = env._(
                    "You no longer meet the conditions of your tier %(tier)s. Meet them again "
                    "within %(days)s days to keep it.",
                    tier=old_tier.with_env(env).name,
                    days=company.fenxiao_tier_grace_days,
                )
            else:
                distributor.tier_at_risk_since = False
                message = env._(
                    "You meet the conditions of your tier %s again: it is no longer at risk.",
                    old_tier.with_env(env).name,
                )
            body = Markup("<p>%s</p>") % message
            if figures:
                body += Markup("<p>%s</p>") % Markup("<br/>").join(figures.split("\n"))
            office.message_post(
                body=body,
                partner_ids=distributor.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return changes

    def _tier_progress(self):
        """{distributor: (next tier or empty, share of its conditions reached 0..1)}.

        The share is the least-fulfilled condition when all must be met, the
        best one when any is enough.
        """
        next_tiers = {}
        first = self.env["fenxiao.tier"].search([], order="sequence, id")
        first = next((tier for tier in first if tier._fenxiao_is_automatic()), first.browse())
        for distributor in self:
            next_tiers[distributor] = (
                distributor.tier_id._next_tier() if distributor.tier_id else first
            )
        rules = {tier: tier._fenxiao_rules() for tier in set(next_tiers.values()) if tier}
        pairs = {(rule["metric"], rule["period_days"]) for tier in rules for rule in rules[tier]}
        figures = self.filtered("id")._fenxiao_tier_figures(pairs) if pairs else {}
        progress = {}
        for distributor, next_tier in next_tiers.items():
            share = 1.0
            if next_tier:
                shares = [
                    min(
                        (figures[r["metric"], r["period_days"]].get(distributor.id) or 0.0)
                        / r["threshold"],
                        1.0,
                    )
                    for r in rules[next_tier]
                ]
                share = min(shares) if next_tier.condition_logic == "all" else max(shares)
            progress[distributor] = (next_tier, share)
        return progress

    @api.model
    def _cron_promote_tiers(self):
        """Apply the tier rules to every active distributor (the daily run)."""
        return self._fenxiao_tier_apply(self._fenxiao_tier_evaluation())
