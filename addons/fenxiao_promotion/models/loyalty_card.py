from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.tools import SQL


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    fenxiao_welcome = fields.Boolean(
        string="New-Shopper Coupon",
        readonly=True,
        copy=False,
        help="Given once at sign-up: a partner holds at most one per program.",
    )

    def init(self):
        res = super().init()
        # The database guards the rule: one welcome coupon per partner and program.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS loyalty_card_fenxiao_welcome_uniq "
                "ON loyalty_card (partner_id, program_id) WHERE fenxiao_welcome"
            )
        )
        return res

    @api.model
    def _fenxiao_portal_coupons(self, partner):
        """The coupons ``partner`` can still use: their own, of an active
        coupons program, not spent, not expired."""
        return self.search(
            [
                ("partner_id", "=", partner.id),
                ("program_id.active", "=", True),
                ("program_id.program_type", "=", "coupons"),
                ("points", ">", 0),
                "|",
                ("expiration_date", ">=", fields.Date.context_today(self)),
                ("expiration_date", "=", False),
            ]
        )

    @api.model
    def _fenxiao_give_welcome_coupon(self, partners):
        """One welcome coupon of the company's new-shopper program for each of
        ``partners`` that has none yet. The partner's row lock serialises two
        requests; the unique index is the last guard (a second insert is
        dropped in its savepoint)."""
        cards = self.browse()
        for partner in partners:
            program = (partner.company_id or self.env.company).fenxiao_welcome_program_id
            if not program or not program.active:
                continue
            # Two requests giving to the same partner wait for each other here.
            self.env.cr.execute(
                SQL("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", partner.id)
            )
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM loyalty_card WHERE partner_id = %s AND program_id = %s "
                    "AND fenxiao_welcome",
                    partner.id,
                    program.id,
                )
            )
            if self.env.cr.fetchone():
                continue
            try:
                with self.env.cr.savepoint():
                    cards |= self.sudo().create(
                        {
                            "program_id": program.id,
                            "partner_id": partner.id,
                            "points": 1,
                            "fenxiao_welcome": True,
                        }
                    )
            except UniqueViolation:
                continue  # another request gave it first
        return cards
