from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

# The reasons that are a complaint about the goods, not a change of mind.
COMPLAINT_REASONS = (
    "fenxiao_after_sales.reason_quality",
    "fenxiao_after_sales.reason_not_as_described",
    "fenxiao_after_sales.reason_damaged",
)


class FenxiaoReview(models.Model):
    _inherit = "fenxiao.review"

    @api.model
    def _after_sales_figures(self, distributors, date_from, date_to):
        """Per distributor, over the period's confirmed orders credited to them:
        the orders with an after-sales request (cancelled requests aside) and
        the requests for a complaint reason. One query for all of them."""
        figures = super()._after_sales_figures(distributors, date_from, date_to)
        if not distributors:
            return figures
        reasons = [
            reason.id
            for reason in (
                self.env.ref(xmlid, raise_if_not_found=False) for xmlid in COMPLAINT_REASONS
            )
            if reason
        ]
        self.env["rma"].flush_model(["fenxiao_order_id", "fenxiao_reason_id", "state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT o.fenxiao_distributor_id,
                       COUNT(DISTINCT r.fenxiao_order_id),
                       COUNT(r.id) FILTER (WHERE r.fenxiao_reason_id = ANY(%(reasons)s))
                  FROM sale_order o
                  JOIN rma r ON r.fenxiao_order_id = o.id AND r.state != 'cancelled'
                 WHERE o.fenxiao_distributor_id IN %(ids)s
                   AND o.state = 'sale'
                   AND o.date_order >= %(start)s
                   AND o.date_order < %(end)s
                 GROUP BY o.fenxiao_distributor_id
                """,
                reasons=reasons or [0],
                ids=tuple(distributors.ids),
                start=date_from,
                end=date_to + timedelta(days=1),
            )
        )
        for distributor_id, with_request, complaints in self.env.cr.fetchall():
            figures[distributor_id] = (with_request, complaints)
        return figures
