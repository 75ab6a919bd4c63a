import re
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# Referral codes: 8 characters from an alphabet without the look-alikes 0/O,
# 1/I/L, drawn by a CSPRNG, so a code cannot be guessed from an id or read wrong
# off a poster. 31^8 ≈ 8.5e11 codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def mask_name(name):
    """王芳 → 王*, 欧阳娜娜 → 欧**娜: enough for a distributor to recognise a
    recruit they know, not enough to identify a stranger."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name or "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


STATES = [
    ("applicant", "Applicant"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("disqualified", "Disqualified"),
]


class FenxiaoDistributor(models.Model):
    _name = "fenxiao.distributor"
    _description = "Distributor"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _parent_store = True
    _parent_name = "parent_id"
    _order = "join_date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, ondelete="restrict", index=True
    )
    name = fields.Char(related="partner_id.name", store=True, readonly=True)
    phone = fields.Char(related="partner_id.mobile", readonly=True)
    image_128 = fields.Image(related="partner_id.image_128", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # The network around a distributor is the distribution team's: a portal
    # distributor reads their own record, and the centre shows their team
    # masked (fenxiao_portal) and their upline not at all.
    parent_id = fields.Many2one(
        "fenxiao.distributor",
        string="Upline",
        index=True,
        ondelete="restrict",
        groups="fenxiao.group_fenxiao_user",
        help="The distributor who recruited this one. Changed only through "
        "'Move to another upline', which is logged.",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        "fenxiao.distributor",
        "parent_id",
        string="Direct Recruits",
        groups="fenxiao.group_fenxiao_user",
    )
    referral_code = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: self._generate_referral_code(),
    )
    tier_id = fields.Many2one(
        "fenxiao.tier",
        ondelete="restrict",
        default=lambda self: self.env["fenxiao.tier"].search([], limit=1),
        tracking=True,
    )
    state = fields.Selection(
        STATES, default="applicant", required=True, readonly=True, tracking=True, index=True
    )
    state_reason = fields.Char(string="Reason", readonly=True)
    state_date = fields.Datetime(string="Status Since", readonly=True, default=fields.Datetime.now)
    join_date = fields.Datetime(string="Joined", default=fields.Datetime.now, readonly=True)
    depth = fields.Integer(
        compute="_compute_depth", help="1 for a distributor without upline, 2 for their recruits…"
    )
    direct_count = fields.Integer(string="Direct Recruit Count", compute="_compute_direct_count")
    team_size = fields.Integer(compute="_compute_team_size", help="Everyone below, all levels.")
    customer_count = fields.Integer(
        string="Bound Customers",
        compute="_compute_customer_count",
        groups="fenxiao.group_fenxiao_user",
    )
    team_sales = fields.Monetary(
        compute="_compute_team_sales",
        help="Untaxed total of the confirmed orders brought by this distributor and everyone "
        "below them.",
    )
    log_ids = fields.One2many(
        "fenxiao.distributor.log",
        "distributor_id",
        string="History",
        groups="fenxiao.group_fenxiao_user",
    )
    customer_ids = fields.One2many(
        "res.partner",
        "fenxiao_distributor_id",
        string="Customers",
        groups="fenxiao.group_fenxiao_user",
    )

    _sql_constraints = [
        ("partner_uniq", "unique(partner_id)", "This contact is already a distributor."),
        ("referral_code_uniq", "unique(referral_code)", "This referral code is already used."),
    ]

    def init(self):
        # Teams are prefix searches on parent_path: a text_pattern_ops index
        # serves them whatever the database's collation, and carrying parent_id
        # lets counting direct recruits skip the table.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS fenxiao_distributor_parent_path_prefix_idx "
            "ON fenxiao_distributor (parent_path text_pattern_ops) INCLUDE (parent_id)"
        )

    @api.depends("name")
    @api.depends_context("uid")
    def _compute_display_name(self):
        # A many2one's name is read as superuser (a shopper's "referred by", a
        # distributor's upline): to a portal or public user anyone else in the
        # network is the masked name the distributor centre shows.
        user = self.env.user
        for distributor in self:
            name = distributor.name or ""
            if user.share and distributor.sudo().partner_id != user.partner_id:
                name = mask_name(name)
            distributor.display_name = name

    # ------------------------------------------------------------------
    # Codes
    # ------------------------------------------------------------------
    @api.model
    def _generate_referral_code(self):
        return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))

    @api.model
    def _normalize_referral_code(self, code):
        """Upper-case and strip a code as typed or read from a link; None if malformed."""
        if not isinstance(code, str) or len(code) > 64:
            return None
        code = code.strip().upper()
        return code if CODE_RE.match(code) else None

    @api.model
    def _find_by_referral_code(self, code, raise_if_invalid=False):
        """The active distributor behind a referral code.

        Shoppers follow stale links: by default a malformed, unknown or
        inactive code gives an empty recordset. With ``raise_if_invalid`` (a
        code typed in a form) the reason is raised as a translated UserError.
        """
        normalized = self._normalize_referral_code(code)
        if not normalized:
            if raise_if_invalid:
                raise UserError(self.env._("“%s” is not a referral code.", str(code)[:32]))
            return self.browse()
        distributor = self.sudo().search([("referral_code", "=", normalized)], limit=1)
        if not distributor:
            if raise_if_invalid:
                raise UserError(self.env._("No distributor has the referral code %s.", normalized))
            return self.browse()
        if distributor.state != "active":
            if raise_if_invalid:
                raise UserError(
                    self.env._(
                        "The distributor with referral code %s cannot refer anyone now.", normalized
                    )
                )
            return self.browse()
        return distributor

    # ------------------------------------------------------------------
    # Computes: one query per recordset, whatever the size of the team
    # ------------------------------------------------------------------
    @api.depends("parent_path")
    def _compute_depth(self):
        for distributor in self:
            distributor.depth = (distributor.parent_path or "").count("/")

    def _team_query(self, select, join=None):
        """Rows (distributor id, aggregates) over each distributor's whole team.

        ``t`` is every member of the team of ``d`` (``d`` included): the paths
        starting with ``d``'s path, written as the byte-wise range
        [path, path + '~') ('~' sorts after digits and '/'). The LATERAL
        subquery makes it one index range scan per distributor, which the
        covering text_pattern_ops index above serves without reading the table.
        """
        return SQL(
            """
            SELECT d.id, team.*
              FROM fenxiao_distributor d
             CROSS JOIN LATERAL (
                    SELECT %(select)s
                      FROM fenxiao_distributor t
                           %(join)s
                     WHERE t.parent_path ~>=~ d.parent_path
                       AND t.parent_path ~<~ (d.parent_path || '~')
                   ) team
             WHERE d.id IN %(ids)s
            """,
            select=select,
            join=join or SQL(),
            ids=tuple(self.ids),
        )

    def _compute_team_size(self):
        # One query for a whole list: a page of 80 distributors in 4 ms where
        # a child_of search_count each takes 48 ms and 160 queries. For one
        # distributor Odoo's search_count is a few ms faster on 100,000
        # (scripts/bench --network); one path keeps the query count the same
        # for one and for many.
        real = self.filtered("id")
        sizes = {}
        if real:  # new records (onchange) have no team yet
            self.flush_model(["parent_path"])
            self.env.cr.execute(real._team_query(SQL("count(*) - 1")))
            sizes = dict(self.env.cr.fetchall())
        for distributor in self:
            distributor.team_size = sizes.get(distributor.id, 0)

    def _compute_direct_count(self):
        # counted whoever looks, as the team is
        counts = dict(
            self.sudo()._read_group([("parent_id", "in", self.ids)], ["parent_id"], ["__count"])
        )
        for distributor in self:
            distributor.direct_count = counts.get(distributor, 0)

    def _compute_team_sales(self):
        """Confirmed orders of the team, untaxed, in the company currency.

        Orders are in their own currency; their ``currency_rate`` converts the
        company currency into it, so dividing brings them back. Counted
        whoever looks (a portal distributor cannot read their team's orders).
        One distributor (a form, the portal) takes Odoo's ``_read_group``
        over ``child_of``, the faster for one; a list takes one query for all
        (scripts/bench --network).
        """
        real = self.filtered("id")
        sales = {}
        if len(real) == 1:
            groups = (
                self.env["sale.order"]
                .sudo()
                ._read_group(
                    [("fenxiao_distributor_id", "child_of", real.id), ("state", "=", "sale")],
                    ["currency_rate"],
                    ["amount_untaxed:sum"],
                )
            )
            sales[real.id] = sum(amount / (rate or 1) for rate, amount in groups)
        elif real:
            self.flush_model(["parent_path"])
            self.env["sale.order"].flush_model(
                ["fenxiao_distributor_id", "state", "amount_untaxed", "currency_rate"]
            )
            self.env.cr.execute(
                real._team_query(
                    SQL("SUM(o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1))"),
                    SQL(
                        "JOIN sale_order o ON o.fenxiao_distributor_id = t.id AND o.state = 'sale'"
                    ),
                )
            )
            sales = dict(self.env.cr.fetchall())
        for distributor in self:
            distributor.team_sales = distributor.currency_id.round(sales.get(distributor.id) or 0.0)

    def _compute_customer_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("fenxiao_distributor_id", "in", self.ids)],
                ["fenxiao_distributor_id"],
                ["__count"],
            )
        )
        for distributor in self:
            distributor.customer_count = counts.get(distributor, 0)

    def _get_uplines(self, levels=None):
        """The uplines of one distributor, nearest first, at most ``levels`` of them.

        Read from ``parent_path``: one query for the whole chain.
        """
        self.ensure_one()
        ids = [int(x) for x in self.parent_path.split("/") if x][:-1][::-1]
        if levels is not None:
            ids = ids[:levels]
        uplines = self.browse(ids)
        uplines.fetch(["state", "tier_id", "partner_id"])
        return uplines

    def _get_chain(self, field_names=("state", "tier_id", "partner_id")):
        """This distributor and their uplines, nearest first, fetched with
        ``field_names`` and their contacts' commercial entity in one query.

        What commission reads on the paid order's path: ``_get_uplines``
        needs this distributor's ``parent_path`` first, one query more. The
        ids come from the ``parent_path`` in the query itself (an index
        lookup by id, not a prefix match over the whole network). The
        contact's ``commercial_partner_id`` (is the buyer the distributor
        themselves?) comes with it, joined, instead of reading the contact
        (a query with every prefetched field of res.partner).
        """
        self.ensure_one()
        Partner = self.env["res.partner"]
        self.flush_model(["parent_path"])
        columns = [
            field
            for field in self._determine_fields_to_fetch(field_names)
            if field.column_type and field.name != "partner_id"
        ]
        query = self.with_context(active_test=False)._search([])
        query.add_where(
            SQL(
                "%s = ANY(string_to_array(rtrim(("
                "SELECT parent_path FROM fenxiao_distributor WHERE id = %s), '/'), '/')::int[])",
                SQL.identifier(self._table, "id"),
                self.id,
            )
        )
        partner = query.make_alias(self._table, "partner_id")
        query.add_join(
            "LEFT JOIN",
            partner,
            Partner._table,
            SQL(
                "%s = %s",
                SQL.identifier(partner, "id"),
                SQL.identifier(self._table, "partner_id"),
            ),
        )
        query.order = SQL("length(%s) DESC", SQL.identifier(self._table, "parent_path"))
        rows = self.env.execute_query(
            query.select(
                SQL.identifier(self._table, "id"),
                self._field_to_sql(self._table, "partner_id", query),
                Partner._field_to_sql(partner, "commercial_partner_id", query),
                *(self._field_to_sql(self._table, field.name, query) for field in columns),
            )
        )
        if not rows:
            return self.browse()
        ids, partner_ids, commercial_ids, *values = zip(*rows, strict=True)
        chain = self.browse(ids)
        # as _fetch_query does: what is in the cache (a pending write) stays
        cache = self.env.cache
        cache.insert_missing(chain, self._fields["partner_id"], partner_ids)
        for field, field_values in zip(columns, values, strict=True):
            cache.insert_missing(chain, field, field_values)
        partners = [(p, c) for p, c in zip(partner_ids, commercial_ids, strict=True) if p]
        if partners:
            cache.insert_missing(
                Partner.browse(p for p, _c in partners),
                Partner._fields["commercial_partner_id"],
                [c for _p, c in partners],
            )
        return chain

    # ------------------------------------------------------------------
    # Invariants
    # ------------------------------------------------------------------
    @api.constrains("parent_id")
    def _check_upline(self):
        for distributor in self:
            if distributor.parent_id == distributor:
                raise ValidationError(self.env._("A distributor cannot be their own upline."))
            if distributor.parent_id and distributor.parent_id.company_id != distributor.company_id:
                raise ValidationError(
                    self.env._("A distributor's upline must belong to the same company.")
                )
        if self._has_cycle():
            raise ValidationError(
                self.env._(
                    "This upline would make a circle: a distributor cannot be below their own team."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        distributors = super().create(vals_list)
        self.env["fenxiao.distributor.log"].sudo().create(
            [
                {
                    "distributor_id": distributor.id,
                    "event": "join",
                    "new_parent_id": distributor.parent_id.id,
                    "new_tier_id": distributor.tier_id.id,
                    "new_state": distributor.state,
                }
                for distributor in distributors
            ]
        )
        return distributors

    def write(self, vals):
        # Upline, tier and status only change through the logged actions below.
        guarded = {"parent_id", "tier_id", "state", "partner_id", "referral_code"} & set(vals)
        if guarded and not self.env.context.get("fenxiao_logged_change"):
            raise UserError(
                self.env._(
                    "Use the actions on the distributor to change their upline, tier or status."
                )
            )
        return super().write(vals)

    def _logged_write(self, vals, event, reason):
        logs = []
        for distributor in self:
            log = {"distributor_id": distributor.id, "event": event, "reason": reason}
            if "parent_id" in vals:
                log.update(old_parent_id=distributor.parent_id.id, new_parent_id=vals["parent_id"])
            if "tier_id" in vals:
                log.update(old_tier_id=distributor.tier_id.id, new_tier_id=vals["tier_id"])
            if "state" in vals:
                log.update(old_state=distributor.state, new_state=vals["state"])
            logs.append(log)
        self.with_context(fenxiao_logged_change=True).write(vals)
        self.env["fenxiao.distributor.log"].sudo().create(logs)

    # ------------------------------------------------------------------
    # Actions (managers)
    # ------------------------------------------------------------------
    def _check_manager(self):
        self.env["res.users"]._fenxiao_check_manager()

    def action_move_upline(self, new_upline, reason):
        """Move distributors (with their teams) under ``new_upline`` (or to the top)."""
        self._check_manager()
        if not reason:
            raise UserError(self.env._("Say why the distributor moves to another upline."))
        new_upline = new_upline or self.browse()
        if new_upline and new_upline.state != "active":
            raise UserError(self.env._("%s is not an active distributor.", new_upline.name))
        if (
            new_upline
            and new_upline.parent_path
            and any(new_upline.parent_path.startswith(d.parent_path) for d in self)
        ):
            raise UserError(
                self.env._(
                    "%s is in the team of the distributor you move: that would make a circle.",
                    new_upline.name,
                )
            )
        self.filtered(lambda d: d.parent_id != new_upline)._logged_write(
            {"parent_id": new_upline.id}, "upline", reason
        )

    def action_set_tier(self, tier, reason=None):
        self._check_manager()
        self.filtered(lambda d: d.tier_id != tier)._logged_write(
            {"tier_id": tier.id}, "tier", reason or self.env._("Set by a manager")
        )

    def _set_state(self, state, reason):
        self._check_manager()
        if state in ("suspended", "disqualified") and not reason:
            raise UserError(self.env._("Give a reason: the distributor will see it."))
        self.filtered(lambda d: d.state != state)._logged_write(
            {"state": state, "state_reason": reason, "state_date": fields.Datetime.now()},
            "state",
            reason,
        )

    def action_approve(self):
        if self.filtered(lambda d: d.state != "applicant"):
            raise UserError(self.env._("Only applications can be approved."))
        self._set_state("active", self.env._("Application approved"))

    def action_reactivate(self):
        self._set_state("active", self.env._("Reactivated"))

    def action_suspend(self, reason):
        self._set_state("suspended", reason)

    def action_disqualify(self, reason):
        self._set_state("disqualified", reason)

    def action_open_change_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "fenxiao.distributor.change",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_distributor_ids": self.ids,
                "default_action": self.env.context.get("fenxiao_change", "upline"),
            },
        }

    def action_view_team(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Team of %s", self.name),
            "res_model": "fenxiao.distributor",
            "view_mode": "list,hierarchy,form",
            "domain": [("id", "child_of", self.id), ("id", "!=", self.id)],
        }

    def action_view_customers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customers of %s", self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("fenxiao_distributor_id", "=", self.id)],
        }

    # ------------------------------------------------------------------
    # Becoming a distributor
    # ------------------------------------------------------------------
    @api.model
    def _enroll(self, partner, state="active", reason=None):
        """Make ``partner`` a distributor under the distributor who referred them.

        Free of charge by construction: nothing here takes a payment.
        Returns the (new or existing) distributor.
        """
        existing = self.sudo().search([("partner_id", "=", partner.id)], limit=1)
        if existing:
            return existing
        upline = partner.fenxiao_distributor_id
        return self.sudo().create(
            {
                "partner_id": partner.id,
                "company_id": (upline.company_id or self.env.company).id,
                "parent_id": upline.id if upline.state == "active" else False,
                "state": state,
                "state_reason": reason,
            }
        )
