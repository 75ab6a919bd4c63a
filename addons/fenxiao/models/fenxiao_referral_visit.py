from odoo import api, fields, models

# longest landing path kept: enough for a product page, not a place for payloads
LANDING_PATH_SIZE = 200


class FenxiaoReferralVisit(models.Model):
    """A visit through a distributor's link: the top of the referral funnel.

    Append-only, one row per counted visit. A viral link is many concurrent
    requests for the same distributor: each inserts its own row and none
    updates a shared counter, so they never conflict; the funnel counts rows.
    """

    _name = "fenxiao.referral.visit"
    _description = "Referral Link Visit"
    _inherit = ["fenxiao.append.only.mixin"]
    _order = "date desc, id desc"
    _rec_name = "distributor_id"

    distributor_id = fields.Many2one(
        "fenxiao.distributor", required=True, ondelete="cascade", readonly=True
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    landing_path = fields.Char(
        size=LANDING_PATH_SIZE, readonly=True, help="The page of the shop the link opened."
    )

    def init(self):
        # The funnel reads a distributor's (or everyone's) visits over a period.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS fenxiao_referral_visit_distributor_date_idx "
            "ON fenxiao_referral_visit (distributor_id, date)"
        )

    @api.model
    def _record(self, distributor, landing_path=None):
        """Count one visit of ``distributor``'s link that opened ``landing_path``.

        The caller decides whether the visit counts (once per browser session);
        this only inserts. The path is cut to its size, whatever the link said.
        """
        return self.sudo().create(
            {
                "distributor_id": distributor.id,
                "landing_path": (landing_path or "")[:LANDING_PATH_SIZE] or False,
            }
        )
