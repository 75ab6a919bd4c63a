from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# Which binding events may bind a customer, by the company's binding setting:
# binding at the first visit also binds those first seen at sign-up or order.
ALLOWED_CAUSES = {
    "visit": {"visit", "signup", "first_order"},
    "signup": {"signup", "first_order"},
    "first_order": {"first_order"},
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Only the distribution team reads who referred a customer and these lists:
    # a salesperson or a portal user reading a contact must not need access to
    # bindings or distributors, and a shopper does not learn their referrer.
    fenxiao_distributor_id = fields.Many2one(
        "fenxiao.distributor",
        string="Referred By",
        index="btree_not_null",
        readonly=True,
        copy=False,
        groups="fenxiao.group_fenxiao_user",
        help="The distributor this customer is bound to. See the binding history.",
    )
    fenxiao_bound_date = fields.Datetime(
        string="Bound Since", readonly=True, copy=False, groups="fenxiao.group_fenxiao_user"
    )
    fenxiao_binding_ids = fields.One2many(
        "fenxiao.binding", "partner_id", string="Bindings", groups="fenxiao.group_fenxiao_user"
    )
    fenxiao_self_distributor_ids = fields.One2many(
        "fenxiao.distributor", "partner_id", groups="fenxiao.group_fenxiao_user"
    )
    fenxiao_self_distributor_id = fields.Many2one(
        "fenxiao.distributor",
        string="Distributor Record",
        compute="_compute_fenxiao_self_distributor_id",
        search="_search_fenxiao_self_distributor_id",
        groups="fenxiao.group_fenxiao_user",
    )

    @api.depends("fenxiao_self_distributor_ids")
    def _compute_fenxiao_self_distributor_id(self):
        # sudo: record rules on distributors are themselves written with this field.
        distributors = (
            self.env["fenxiao.distributor"].sudo().search([("partner_id", "in", self.ids)])
        )
        by_partner = {d.partner_id.id: d.id for d in distributors}
        for partner in self:
            partner.fenxiao_self_distributor_id = by_partner.get(partner.id, False)

    def _search_fenxiao_self_distributor_id(self, operator, value):
        distributors = self.env["fenxiao.distributor"].sudo()._search([("id", operator, value)])
        return [("id", "in", distributors.subselect("partner_id"))]

    def _fenxiao_bind(self, distributor, cause):
        """Bind this customer to ``distributor`` if the company's settings allow it.

        Returns True when the customer was bound or rebound. Refusals that a
        shopper could trigger by following a link (inactive distributor,
        protected binding, a distributor referring themselves) return False and
        change nothing; only a manager's manual binding raises.
        """
        self.ensure_one()
        distributor = distributor.sudo()
        manual = cause == "manual"
        if manual:
            self.env["res.users"]._fenxiao_check_manager(
                self.env._("Only a Distribution Administrator can bind customers by hand.")
            )

        def refuse(message):
            if manual:
                raise UserError(message)
            return False

        if not distributor or distributor.state != "active":
            return refuse(self.env._("Only an active distributor can have customers."))
        if distributor.partner_id.commercial_partner_id == self.commercial_partner_id:
            return refuse(self.env._("A distributor cannot refer themselves."))
        if self.sudo()._fenxiao_own_distributor():
            # Distributors are placed by their upline, not bound as customers.
            return refuse(
                self.env._("%s is a distributor: move them to another upline instead.", self.name)
            )
        company = distributor.company_id
        if not manual and cause not in ALLOWED_CAUSES[company.fenxiao_binding_event]:
            return False
        # Lock the partner row before reading the current binding: two requests
        # binding the same shopper at once are decided one after the other.
        self.env.cr.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", [self.id])
        self.invalidate_recordset(["fenxiao_distributor_id", "fenxiao_bound_date"])
        current = self.sudo().fenxiao_distributor_id
        if current == distributor:
            return False
        if current and not manual:
            bound_date = self.sudo().fenxiao_bound_date or fields.Datetime.now()
            protected_until = bound_date + timedelta(days=company.fenxiao_binding_days)
            if fields.Datetime.now() < protected_until or not company.fenxiao_binding_takeover:
                return False
            cause = "takeover"
        self.sudo().write(
            {"fenxiao_distributor_id": distributor.id, "fenxiao_bound_date": fields.Datetime.now()}
        )
        self.env["fenxiao.binding"].sudo().create(
            {
                "partner_id": self.id,
                "distributor_id": distributor.id,
                "previous_distributor_id": current.id,
                "cause": cause,
            }
        )
        return True

    def _fenxiao_own_distributor(self):
        """The distributor record of this contact's commercial entity, if any.

        A distributor's delivery address, their company or a colleague's
        contact in that company is the same buyer: what they buy is the
        distributor's own purchase. The contact's own record wins, then the
        commercial entity's, then the oldest of its contacts'.
        """
        self.ensure_one()
        distributors = (
            self.env["fenxiao.distributor"]
            .sudo()
            .search(
                [("partner_id.commercial_partner_id", "=", self.commercial_partner_id.id)],
                order="id",
            )
        )
        return (
            distributors.filtered(lambda d: d.partner_id == self)
            or distributors.filtered(lambda d: d.partner_id == self.commercial_partner_id)
            or distributors[:1]
        )

    def _fenxiao_bind_by_code(self, code, cause):
        """Bind this customer to the distributor of a referral code from a link."""
        self.ensure_one()
        distributor = self.env["fenxiao.distributor"]._find_by_referral_code(code)
        return bool(distributor) and self._fenxiao_bind(distributor, cause)

    def _fenxiao_onboarding_company(self):
        """The company whose onboarding mode applies to this partner."""
        self.ensure_one()
        return (self.fenxiao_distributor_id.company_id or self.env.company).sudo()

    def _fenxiao_onboards_on_payment(self):
        """Whether a paid order of this partner may enrol them (``_fenxiao_onboard``
        with "paid_order" does something): checked first on the payment's path,
        so that the usual case (enrolling by sign-up or application, or
        commission on more than one level) costs no search of their distributor."""
        companies = self.env["res.company"]._fenxiao_payment_onboarding_ids()
        return bool(companies) and self._fenxiao_onboarding_company().id in companies

    def _fenxiao_onboard(self, event):
        """Enrol this partner as a distributor when the company's mode says so.

        ``event`` is "signup", "application" or "paid_order" (an order of
        theirs was just paid).
        """
        self.ensure_one()
        company = self._fenxiao_onboarding_company()
        mode = company.fenxiao_onboarding
        distributors = self.env["fenxiao.distributor"]
        if event == "application":
            if mode != "application":
                raise UserError(
                    self.env._(
                        "Distributors do not apply here: %s.",
                        dict(
                            company._fields["fenxiao_onboarding"]._description_selection(self.env)
                        )[mode],
                    )
                )
            return distributors._enroll(self, state="applicant", reason=self.env._("Application"))
        if event == "signup" and mode == "signup":
            return distributors._enroll(self, reason=self.env._("Signed up"))
        if event == "paid_order" and company.fenxiao_max_levels > 1:
            # joining by buying with uplines paid: a disguised entry fee
            # (res.company refuses the setting; a database set up before
            # the rule keeps it until its settings are saved again)
            return distributors
        if event == "paid_order" and mode == "first_order":
            return distributors._enroll(self, reason=self.env._("First paid order"))
        if event == "paid_order" and mode == "spend":
            # what they paid for, not what a salesperson confirmed
            orders = (
                self.env["sale.order"]
                .sudo()
                .search(
                    [
                        ("partner_id", "child_of", self.commercial_partner_id.id),
                        ("state", "=", "sale"),
                    ]
                )
                .filtered(lambda order: order._fenxiao_is_fully_paid())
            )
            spent = sum(
                order.currency_id._convert(
                    order.amount_total, company.currency_id, company, order.date_order
                )
                for order in orders
            )
            if company.currency_id.compare_amounts(spent, company.fenxiao_spend_threshold) >= 0:
                return distributors._enroll(self, reason=self.env._("Spend threshold reached"))
        return distributors
