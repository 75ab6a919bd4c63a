from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, ValidationError

BEST_SELLER_DAYS = 90
# What a manager approves before a product goes on the shop: what shoppers
# see of it and what they pay.
REVIEWED_FIELDS = frozenset(
    {
        "name",
        "image_1920",
        "product_template_image_ids",
        "description_ecommerce",
        "description_sale",
        "website_description",
        "list_price",
        "compare_list_price",
    }
)
# The review's own fields: only a sales manager (or the review's code, as
# superuser) writes them.
REVIEW_STATE_FIELDS = frozenset(
    {
        "fenxiao_review_state",
        "fenxiao_review_note",
        "fenxiao_review_requested_uid",
        "fenxiao_review_unpublished",
    }
)
REVIEWER_GROUP = "sales_team.group_sale_manager"
REVIEW_ACTIVITY = "website_sale_fenxiao.mail_activity_type_product_review"


class ProductTemplate(models.Model):
    _inherit = "product.template"

    fenxiao_sales_90d = fields.Float(
        string="Sold in 90 Days",
        digits="Product Unit of Measure",
        readonly=True,
        copy=False,
        help="Units sold on confirmed orders in the last 90 days, refreshed daily: the "
        "shop's best-selling order.",
    )

    fenxiao_auto_unpublished = fields.Boolean(
        string="Off the Shop for Lack of Stock",
        readonly=True,
        copy=False,
        help="Taken off the shop because it ran out of stock; published again when restocked.",
    )

    fenxiao_review_state = fields.Selection(
        [
            ("draft", "Not Submitted"),
            ("to_review", "Waiting for Approval"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="Review",
        # Not required: a NOT NULL column would refuse products created by a
        # module that loads before this one and knows nothing of the review
        # (Odoo's own tests do that); every product this module sees gets the
        # default, and the column is filled when the module installs.
        default="draft",
        copy=False,
        tracking=True,
        index=True,
        help="With product review on, only approved products can be published; a change "
        "to the images, description or price by someone who is not a sales manager sends "
        "the product back for approval.",
    )
    # The back office's business: a shopper reading a product by RPC learns
    # neither why it was refused nor which employee submitted it.
    fenxiao_review_note = fields.Text(
        string="Rejection Reason", readonly=True, copy=False, groups="base.group_user"
    )
    fenxiao_review_requested_uid = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False, groups="base.group_user"
    )
    fenxiao_review_unpublished = fields.Boolean(
        string="Off the Shop until Approved",
        readonly=True,
        copy=False,
        help="Taken off the shop when sent back for approval; published again when approved.",
    )
    fenxiao_review_required = fields.Boolean(compute="_compute_fenxiao_review_required")

    # ------------------------------------------------------------------
    # Review before publishing
    # ------------------------------------------------------------------
    @api.depends_context("company")
    @api.depends("company_id.fenxiao_product_review")
    def _compute_fenxiao_review_required(self):
        for product in self:
            product.fenxiao_review_required = product._fenxiao_review_on()

    def _fenxiao_review_company(self, company):
        return company or self.env.company

    def _fenxiao_review_on(self):
        """Whether this product's company reviews products before publishing
        (read fresh: the setting may change within a transaction)."""
        self.ensure_one()
        return self._fenxiao_review_company(self.company_id).fenxiao_product_review

    def _fenxiao_is_reviewer(self):
        # the superuser (data loading, scheduled jobs, sudo) passes the review
        return (
            self.env.su or self.env.user._is_superuser() or self.env.user.has_group(REVIEWER_GROUP)
        )

    @api.constrains("is_published", "fenxiao_review_state")
    def _check_fenxiao_review(self):
        for product in self:
            if (
                product.is_published
                and product.fenxiao_review_state != "approved"
                and product._fenxiao_review_on()
            ):
                raise ValidationError(
                    self.env._(
                        "%(product)s cannot be published before a sales manager approves it: "
                        "submit it for review.",
                        product=product.display_name,
                    )
                )

    def _fenxiao_check_review_fields(self, vals, creating=False):
        if self._fenxiao_is_reviewer():
            return
        names = REVIEW_STATE_FIELDS & set(vals)
        if creating:
            # a variant's creation passes the defaults (draft, nothing) along
            names = {name for name in names if vals[name] not in (False, None, "draft")}
        if names:
            raise AccessError(self.env._("Only a sales manager can approve or reject products."))

    @api.model_create_multi
    def create(self, vals_list):
        reviewer = self._fenxiao_is_reviewer()
        for vals in vals_list:
            self._fenxiao_check_review_fields(vals, creating=True)
            if vals.get("is_published") or vals.get("website_published"):
                company = self.env["res.company"].browse(vals.get("company_id"))
                # publishing is approving, for whom the review does not hold back
                if reviewer or not self._fenxiao_review_company(company).fenxiao_product_review:
                    vals["fenxiao_review_state"] = "approved"
        return super().create(vals_list)

    def write(self, vals):
        self._fenxiao_check_review_fields(vals)
        publish = vals.get("is_published", vals.get("website_published"))
        if publish and "fenxiao_review_state" not in vals:
            # publishing is approving, for whom the review does not hold back
            approving = (
                self
                if self._fenxiao_is_reviewer()
                else self.filtered(lambda product: not product._fenxiao_review_on())
            )
            approving.filtered(lambda p: p.fenxiao_review_state != "approved").sudo().write(
                {"fenxiao_review_state": "approved", "fenxiao_review_note": False}
            )
        sent_back = self.browse()
        if REVIEWED_FIELDS & set(vals) and not self._fenxiao_is_reviewer():
            sent_back = self.filtered(
                lambda product: product._fenxiao_review_on()
                and product.fenxiao_review_state == "approved"
                and product._fenxiao_review_changes(vals)
            )
        result = super().write(vals)
        if sent_back:
            sent_back._fenxiao_send_for_review(
                self.env._("Changed by %(user)s.", user=self.env.user.name)
            )
        return result

    def _fenxiao_review_changes(self, vals):
        """Whether ``vals`` change what a manager approved of this product."""
        self.ensure_one()
        for name in REVIEWED_FIELDS & set(vals):
            field = self._fields[name]
            if field.type in ("one2many", "many2many"):
                return True
            new = field.convert_to_record(field.convert_to_cache(vals[name], self), self)
            if new != self[name]:
                return True
        return False

    def _fenxiao_send_for_review(self, reason=None):
        """Put products in front of the reviewers, off the shop until approved."""
        on_shop = self.filtered(lambda p: p.is_published or p.fenxiao_auto_unpublished)
        waiting = {
            "fenxiao_review_state": "to_review",
            "fenxiao_review_note": False,
            "fenxiao_review_requested_uid": self.env.uid,
        }
        # in one write: a published product is never left waiting on the shop
        on_shop.sudo().write(
            {
                **waiting,
                "is_published": False,
                "fenxiao_auto_unpublished": False,
                "fenxiao_review_unpublished": True,
            }
        )
        (self - on_shop).sudo().write(waiting)
        self._fenxiao_review_activities(reason)

    def _fenxiao_review_activities(self, reason=None):
        """One review to-do per product, for a sales manager."""
        reviewers = (
            self.env.ref(REVIEWER_GROUP)
            .sudo()
            .users.filtered(lambda user: user.active and not user.share and user.id != SUPERUSER_ID)
        )
        if not reviewers:
            return
        pending = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "product.template"),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", self.env.ref(REVIEW_ACTIVITY).id),
                ]
            )
            .mapped("res_id")
        )
        for product in self.sudo():
            if product.id in pending:
                continue
            company = product._fenxiao_review_company(product.company_id)
            reviewer = reviewers.filtered(lambda user, c=company: c in user.company_ids)[:1]
            product.activity_schedule(
                REVIEW_ACTIVITY,
                note=reason or "",
                user_id=(reviewer or reviewers[:1]).id,
            )

    def action_fenxiao_submit_review(self):
        products = self.filtered(lambda p: p.fenxiao_review_state in ("draft", "rejected"))
        products._fenxiao_send_for_review(
            self.env._("Submitted by %(user)s.", user=self.env.user.name)
        )
        return True

    def _fenxiao_check_reviewer(self):
        if not self._fenxiao_is_reviewer():
            raise AccessError(self.env._("Only a sales manager can approve or reject products."))

    def action_fenxiao_approve(self):
        """Approve, and put back on the shop what the review had taken off."""
        self._fenxiao_check_reviewer()
        products = self.filtered(lambda p: p.fenxiao_review_state != "approved")
        republish = products.filtered("fenxiao_review_unpublished")
        products.write(
            {
                "fenxiao_review_state": "approved",
                "fenxiao_review_note": False,
                "fenxiao_review_unpublished": False,
            }
        )
        republish.write({"is_published": True})
        # out of stock meanwhile: the stock rules decide again
        republish._fenxiao_watch_stock()
        products.activity_feedback([REVIEW_ACTIVITY], feedback=self.env._("Approved"))
        return True

    def _fenxiao_reject(self, reason):
        self._fenxiao_check_reviewer()
        products = self.filtered(lambda p: p.fenxiao_review_state == "to_review")
        products.write({"fenxiao_review_state": "rejected", "fenxiao_review_note": reason})
        products.activity_feedback([REVIEW_ACTIVITY], feedback=reason)
        for product in products:
            product.message_post(
                body=self.env._("Rejected: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )
            requester = product.fenxiao_review_requested_uid
            if requester and requester.active and not requester.share:
                product.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Product rejected: %(reason)s", reason=reason)[:200],
                    user_id=requester.id,
                )
        return True

    def action_fenxiao_reject(self):
        self._fenxiao_check_reviewer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Products"),
            "res_model": "fenxiao.product.review.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_product_tmpl_ids": self.ids},
        }

    # ------------------------------------------------------------------
    # Best sellers and stock
    # ------------------------------------------------------------------
    @api.model
    def _cron_fenxiao_refresh_best_sellers(self):
        """Recount every product's units sold in the last 90 days, in one statement."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE product_template t
               SET fenxiao_sales_90d = COALESCE(s.qty, 0)
              FROM product_template t2
              LEFT JOIN (
                    SELECT p.product_tmpl_id, SUM(l.product_uom_qty) AS qty
                      FROM sale_order_line l
                      JOIN sale_order o ON o.id = l.order_id
                      JOIN product_product p ON p.id = l.product_id
                     WHERE o.state = 'sale'
                       AND o.date_order >= (now() at time zone 'UTC') - make_interval(days => %s)
                       AND l.display_type IS NULL
                     GROUP BY p.product_tmpl_id
                   ) s ON s.product_tmpl_id = t2.id
             WHERE t.id = t2.id
               AND t.fenxiao_sales_90d IS DISTINCT FROM COALESCE(s.qty, 0)
            """,
            [BEST_SELLER_DAYS],
        )
        self.invalidate_model(["fenxiao_sales_90d"])

    def _fenxiao_watch_stock(self):
        """After stock moved: warn on low stock, unpublish at zero, republish on restock.

        Only storable products sold on the website; the company settings say
        what running out means.
        """
        products = self.filtered(lambda t: t.is_storable and t.sale_ok).sudo()
        if not products:
            return
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        summary = self.env._("Low stock")
        low = products.filtered(
            lambda t: (t.is_published or t.fenxiao_auto_unpublished)
            and 0 < t.qty_available < (t.company_id or self.env.company).fenxiao_low_stock_threshold
        )
        # one query for the open warnings, and only when something runs low
        open_warnings = set()
        if low:
            open_warnings = set(
                self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "product.template"),
                        ("res_id", "in", low.ids),
                        ("summary", "=", summary),
                    ]
                )
                .mapped("res_id")
            )
        for product in products:
            company = product.company_id or self.env.company
            quantity = product.qty_available
            if quantity <= 0:
                if company.fenxiao_out_of_stock == "unpublish" and product.is_published:
                    product.write({"is_published": False, "fenxiao_auto_unpublished": True})
                continue
            if product.fenxiao_auto_unpublished and (
                product.fenxiao_review_state == "approved" or not product._fenxiao_review_on()
            ):
                product.write({"is_published": True, "fenxiao_auto_unpublished": False})
            if product in low and product.id not in open_warnings and todo:
                product.activity_schedule(
                    activity_type_id=todo.id,
                    summary=summary,
                    note=self.env._(
                        "Only %(quantity)s left of %(product)s: restock it before it sells out.",
                        quantity=quantity,
                        product=product.display_name,
                    ),
                    user_id=product.with_company(company).responsible_id.id or self.env.uid,
                )
