"""The shopper's after-sales pages: ask on a paid order, follow the request,
answer 补充资料, enter the return parcel. Each route parses, checks access
and calls one model method."""

from werkzeug.exceptions import BadRequest, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.fenxiao.tools.params import parse_id, parse_page, parse_text, parse_token
from odoo.addons.sale.controllers.portal import CustomerPortal

from ..models.rma import MAX_DESCRIPTION, MAX_PHOTOS

PAGE_SIZE = 20


class AfterSalesPortal(CustomerPortal):
    _request_url = "/my/orders/<int:order_id>/after_sales"
    _list_url = "/my/after_sales"
    _detail_url = "/my/after_sales/<int:rma_id>"

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "fenxiao_after_sales_count" in counters:
            values["fenxiao_after_sales_count"] = request.env["rma"].search_count(
                self._after_sales_domain()
            )
        return values

    def _after_sales_domain(self):
        partner = request.env.user.partner_id
        return [
            ("partner_id", "child_of", partner.commercial_partner_id.id),
            ("fenxiao_review", "!=", False),
        ]

    @staticmethod
    def _photos(field="photos"):
        files = request.httprequest.files.getlist(field)
        photos = [(f.filename, f.read()) for f in files if f and f.filename]
        if len(photos) > MAX_PHOTOS:
            raise BadRequest()
        return photos

    def _order_or_404(self, order_id, access_token):
        try:
            return self._document_check_access("sale.order", order_id, access_token=access_token)
        except (AccessError, MissingError) as error:
            raise NotFound() from error

    def _rma_or_404(self, rma_id):
        rma = request.env["rma"].browse(rma_id)
        try:
            rma.check_access("read")
            rma_sudo = rma.sudo().exists()
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        if not rma_sudo.fenxiao_review:
            raise NotFound()
        rma_sudo._fenxiao_check_owner(request.env.user.partner_id)
        return rma_sudo

    def _request_form(self, order_sudo, error=None, access_token=None):
        lines = order_sudo.order_line.filtered(
            lambda sol: not sol.display_type and not sol.is_delivery and sol.price_total > 0
        )
        Rma = request.env["rma"].sudo()
        values = {
            "sale_order": order_sudo,
            "lines": [(line, *Rma._fenxiao_line_balance(line)) for line in lines],
            "operations": request.env["rma.operation"]
            .sudo()
            .search([("fenxiao_kind", "!=", False)], order="fenxiao_sequence, id"),
            "reasons": request.env["fenxiao.after.sales.reason"].sudo().search([]),
            "error": error,
            "access_token": access_token,
            "max_photos": MAX_PHOTOS,
            "page_name": "after_sales_request",
        }
        return request.render("fenxiao_after_sales.portal_after_sales_request", values)

    @http.route(_request_url, type="http", auth="user", website=True, methods=["GET"])
    def after_sales_request_form(self, order_id, access_token=None, **kw):
        order_sudo = self._order_or_404(order_id, parse_token(access_token))
        return self._request_form(order_sudo, access_token=access_token)

    @http.route(_request_url, type="http", auth="user", website=True, methods=["POST"])
    def after_sales_request(self, order_id, access_token=None, **post):
        order_sudo = self._order_or_404(order_id, parse_token(access_token))
        requested = {
            "line_id": parse_id(post.get("line_id"), "line_id"),
            "quantity": parse_id(post.get("quantity"), "quantity"),
            "operation_id": parse_id(post.get("operation_id"), "operation_id"),
            "reason_id": parse_id(post.get("reason_id"), "reason_id"),
            "description": parse_text(
                post.get("description"), "description", max_length=MAX_DESCRIPTION, multiline=True
            ),
            "photos": self._photos(),
        }
        try:
            rmas = request.env["rma"]._fenxiao_request(
                order_sudo, request.env.user.partner_id, [requested]
            )
        except (UserError, ValidationError) as error:
            request.env.cr.rollback()
            return self._request_form(order_sudo, error=error.args[0], access_token=access_token)
        return request.redirect(f"/my/after_sales/{rmas[:1].id}")

    @http.route([_list_url, f"{_list_url}/page/<int:page>"], type="http", auth="user", website=True)
    def after_sales_list(self, page=1, **kw):
        page = parse_page(page)
        Rma = request.env["rma"]
        domain = self._after_sales_domain()
        total = Rma.search_count(domain)
        pager = request.website.pager(url=self._list_url, total=total, page=page, step=PAGE_SIZE)
        rmas = Rma.search(domain, order="id desc", limit=PAGE_SIZE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update({"rmas": rmas.sudo(), "pager": pager, "page_name": "after_sales"})
        return request.render("fenxiao_after_sales.portal_my_after_sales", values)

    def _detail(self, rma_sudo, error=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "rma": rma_sudo,
                "messages": rma_sudo._fenxiao_portal_messages(),
                "photos": rma_sudo._fenxiao_photos(),
                "return_address": rma_sudo._fenxiao_return_address(),
                "return_carriers": request.env["fenxiao.parcel.carrier"].sudo().search([]),
                "error": error,
                "max_photos": MAX_PHOTOS,
                "page_name": "after_sales",
            }
        )
        return request.render("fenxiao_after_sales.portal_after_sales_page", values)

    @http.route(_detail_url, type="http", auth="user", website=True, methods=["GET"])
    def after_sales_page(self, rma_id, **kw):
        return self._detail(self._rma_or_404(rma_id))

    @http.route(f"{_detail_url}/return", type="http", auth="user", website=True, methods=["POST"])
    def after_sales_return_parcel(self, rma_id, carrier_id="", tracking_ref="", **kw):
        rma_sudo = self._rma_or_404(rma_id)
        try:
            rma_sudo._fenxiao_set_return_parcel(
                request.env.user.partner_id,
                parse_id(carrier_id, "carrier_id", default=0),
                parse_text(tracking_ref, "tracking_ref", max_length=64),
            )
        except (UserError, ValidationError) as error:
            request.env.cr.rollback()
            return self._detail(rma_sudo, error=error.args[0])
        return request.redirect(f"/my/after_sales/{rma_sudo.id}")

    @http.route(f"{_detail_url}/info", type="http", auth="user", website=True, methods=["POST"])
    def after_sales_add_info(self, rma_id, description="", **kw):
        rma_sudo = self._rma_or_404(rma_id)
        try:
            rma_sudo._fenxiao_add_info(
                request.env.user.partner_id,
                parse_text(description, "description", max_length=MAX_DESCRIPTION, multiline=True),
                self._photos(),
            )
        except (UserError, ValidationError) as error:
            request.env.cr.rollback()
            return self._detail(rma_sudo, error=error.args[0])
        return request.redirect(f"/my/after_sales/{rma_sudo.id}")
