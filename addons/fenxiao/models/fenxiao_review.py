from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

OUTCOMES = [
    ("pass", "Pass"),
    ("warning", "Warning"),
    ("suspension", "Suspension"),
    ("disqualification", "Disqualification"),
]


class FenxiaoReview(models.Model):
    """A periodic assessment (考核) of one active distributor.

    A run creates one draft per active distributor of a company with the
    period's figures, computed for all of them in a few set-based queries, and
    the outcome the company's rules give. A manager may change the outcome of
    a draft (disqualification is theirs to decide unless the company lets the
    review do it) before confirming: confirming applies suspensions and
    disqualifications through the distributor's logged actions, with the
    reason the distributor sees.
    """

    _name = "fenxiao.review"
    _description = "Distributor Review"
    _order = "date_to desc, id desc"
    _rec_name = "distributor_id"

    distributor_id = fields.Many2one(
        "fenxiao.distributor", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    sales = fields.Monetary(
        string="Personal Sales",
        readonly=True,
        help="Untaxed total of the period's confirmed orders credited to the distributor.",
    )
    order_count = fields.Integer(string="Orders", readonly=True)
    after_sales_count = fields.Integer(
        string="Orders with After-sales",
        readonly=True,
        help="The period's orders credited to the distributor with an after-sales request.",
    )
    after_sales_rate = fields.Float(string="After-sales Rate (%)", readonly=True, digits=(16, 2))
    complaint_count = fields.Integer(
        string="Complaints",
        readonly=True,
        help="After-sales requests on the period's orders for a quality problem, goods not as "
        "described or damaged goods.",
    )
    outcome = fields.Selection(OUTCOMES, required=True, default="pass")
    reason = fields.Text(help="Shown to the distributor in their centre.")
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
    )
    confirmed_by_id = fields.Many2one("res.users", readonly=True)
    confirmed_date = fields.Datetime(readonly=True)

    def write(self, vals):
        # a confirmed review is what the distributor was told: it stays as it was
        if set(vals) - {"state", "confirmed_by_id", "confirmed_date"} and self.filtered(
            lambda review: review.state == "confirmed"
        ):
            raise UserError(self.env._("A confirmed review cannot be changed."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Figures: a few queries for every distributor of a run
    # ------------------------------------------------------------------
    @api.model
    def _sales_figures(self, distributors, date_from, date_to):
        """{distributor id: (sales, orders)} over [date_from, date_to], company currency."""
        if not distributors:
            return {}
        self.env["sale.order"].flush_model(
            ["fenxiao_distributor_id", "state", "amount_untaxed", "currency_rate", "date_order"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT o.fenxiao_distributor_id,
                       SUM(o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1)),
                       COUNT(*)
                  FROM sale_order o
                 WHERE o.fenxiao_distributor_id IN %(ids)s
                   AND o.state = 'sale'
                   AND o.date_order >= %(start)s
                   AND o.date_order < %(end)s
                 GROUP BY o.fenxiao_distributor_id
                """,
                ids=tuple(distributors.ids),
                start=date_from,
                end=date_to + timedelta(days=1),
            )
        )
        return {row[0]: (row[1] or 0.0, row[2]) for row in self.env.cr.fetchall()}

    @api.model
    def _after_sales_figures(self, distributors, date_from, date_to):
        """{distributor id: (orders with an after-sales request, complaints)}.

        After-sales requests are not fenxiao's: fenxiao_after_sales fills
        this in. Without it every distributor has none.
        """
        return {}

    @api.model
    def _previous_outcomes(self, distributors):
        """{distributor id: outcome of their latest confirmed review}."""
        if not distributors:
            return {}
        self.flush_model(["distributor_id", "state", "outcome", "date_to"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (distributor_id) distributor_id, outcome
                  FROM fenxiao_review
                 WHERE distributor_id IN %(ids)s AND state = 'confirmed'
                 ORDER BY distributor_id, date_to DESC, id DESC
                """,
                ids=tuple(distributors.ids),
            )
        )
        return dict(self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    @api.model
    def _decide(self, company, figures, previous):
        """(outcome, reason) for one distributor's ``figures`` under the company's rules.

        One threshold missed gives a warning; a warning after a warning, or an
        after-sales rate above the hard limit, a suspension. Disqualification
        is a manager's decision, unless the company lets a review disqualify
        a distributor who would be suspended after an earlier suspension.
        """
        currency = company.currency_id
        missed = []
        if currency.compare_amounts(figures["sales"], company.fenxiao_review_min_sales) < 0:
            missed.append(
                self.env._(
                    "personal sales %(sales)s below the minimum of %(minimum)s",
                    sales=currency.format(figures["sales"]),
                    minimum=currency.format(company.fenxiao_review_min_sales),
                )
            )
        rate = figures["after_sales_rate"]
        if rate > company.fenxiao_review_max_after_sales_rate:
            missed.append(
                self.env._(
                    "after-sales rate %(rate).1f%% above the maximum of %(maximum).1f%%",
                    rate=rate,
                    maximum=company.fenxiao_review_max_after_sales_rate,
                )
            )
        if figures["complaints"] > company.fenxiao_review_max_complaints:
            missed.append(
                self.env._(
                    "%(count)s complaints, more than the %(maximum)s allowed",
                    count=figures["complaints"],
                    maximum=company.fenxiao_review_max_complaints,
                )
            )
        if not missed:
            return "pass", self.env._("All review conditions met.")
        hard = rate > company.fenxiao_review_hard_after_sales_rate
        if hard or previous in ("warning", "suspension"):
            if previous == "suspension" and company.fenxiao_review_auto_disqualify:
                outcome = "disqualification"
            else:
                outcome = "suspension"
        else:
            outcome = "warning"
        if hard:
            missed.append(
                self.env._(
                    "after-sales rate above the hard limit of %(limit).1f%%",
                    limit=company.fenxiao_review_hard_after_sales_rate,
                )
            )
        elif outcome != "warning":
            missed.append(self.env._("a second review in a row with a condition missed"))
        labels = dict(self._fields["outcome"]._description_selection(self.env))
        return outcome, self.env._(
            "%(outcome)s: %(details)s.",
            outcome=labels[outcome],
            details=self.env._("; ").join(missed),
        )

    # ------------------------------------------------------------------
    # Runs
    # ------------------------------------------------------------------
    @api.model
    def _run(self, company, date_to=None):
        """Draft reviews of every active distributor of ``company`` for the
        period ending on ``date_to`` (yesterday by default). A distributor
        who already has a review for that period is left out."""
        date_to = date_to or fields.Date.context_today(self) - timedelta(days=1)
        date_from = date_to - timedelta(days=max(company.fenxiao_review_period_days, 1) - 1)
        distributors = (
            self.env["fenxiao.distributor"]
            .sudo()
            .search([("company_id", "=", company.id), ("state", "=", "active")])
        )
        existing = self.sudo().search(
            [("distributor_id", "in", distributors.ids), ("date_to", "=", date_to)]
        )
        distributors -= existing.distributor_id
        sales = self._sales_figures(distributors, date_from, date_to)
        after_sales = self._after_sales_figures(distributors, date_from, date_to)
        previous = self._previous_outcomes(distributors)
        currency = company.currency_id
        vals_list = []
        for distributor in distributors:
            amount, orders = sales.get(distributor.id, (0.0, 0))
            with_request, complaints = after_sales.get(distributor.id, (0, 0))
            figures = {
                "sales": currency.round(amount),
                "orders": orders,
                "after_sales": with_request,
                "after_sales_rate": round(100.0 * with_request / orders, 2) if orders else 0.0,
                "complaints": complaints,
            }
            outcome, reason = self._decide(company, figures, previous.get(distributor.id))
            vals_list.append(
                {
                    "distributor_id": distributor.id,
                    "company_id": company.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "sales": figures["sales"],
                    "order_count": orders,
                    "after_sales_count": with_request,
                    "after_sales_rate": figures["after_sales_rate"],
                    "complaint_count": complaints,
                    "outcome": outcome,
                    "reason": reason,
                }
            )
        return self.sudo().create(vals_list)

    @api.model
    def action_run_review(self):
        """Run Review (menu): drafts for the current company, then the list of drafts."""
        self.env["res.users"]._fenxiao_check_manager()
        company = self.env.company
        self.with_context(lang=company.partner_id.lang or self.env.lang)._run(company)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reviews to Confirm"),
            "res_model": "fenxiao.review",
            "view_mode": "list,form",
            "domain": [("state", "=", "draft"), ("company_id", "=", company.id)],
        }

    @api.model
    def _cron_run_review(self):
        """Monthly (disabled by default): drafts for a manager to confirm."""
        for company in self.env["res.company"].search([]):
            lang = company.partner_id.lang or self.env.lang
            self.with_company(company).with_context(lang=lang)._run(company)

    def action_confirm(self):
        """Apply the outcomes: suspensions and disqualifications through the
        distributor's logged actions, with the review's reason."""
        self.env["res.users"]._fenxiao_check_manager()
        reviews = self.filtered(lambda review: review.state == "draft")
        for review in reviews:
            if review.outcome in ("suspension", "disqualification") and not review.reason:
                raise UserError(
                    self.env._(
                        "Give the reason of the review of %s: the distributor will see it.",
                        review.distributor_id.name,
                    )
                )
        # one conditional statement decides a double click: only drafts move
        self.env.cr.execute(
            SQL(
                "UPDATE fenxiao_review SET state = 'confirmed', confirmed_by_id = %(uid)s, "
                "confirmed_date = now() AT TIME ZONE 'UTC' "
                "WHERE id IN %(ids)s AND state = 'draft' RETURNING id",
                uid=self.env.uid,
                ids=tuple(reviews.ids) or (0,),
            )
        )
        confirmed = self.browse([row[0] for row in self.env.cr.fetchall()])
        confirmed.invalidate_recordset(["state", "confirmed_by_id", "confirmed_date"])
        for review in confirmed:
            distributor = review.distributor_id
            if review.outcome == "suspension" and distributor.state == "active":
                distributor.action_suspend(review.reason)
            elif review.outcome == "disqualification" and distributor.state in (
                "active",
                "suspended",
            ):
                distributor.action_disqualify(review.reason)
        return True
