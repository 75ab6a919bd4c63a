import json
import logging

from odoo import http
from odoo.exceptions import AccessError, ValidationError
from odoo.http import request

from .. import const

_logger = logging.getLogger(__name__)


class Kuaidi100Controller(http.Controller):
    _push_url = const.PUSH_ROUTE

    @staticmethod
    def _answer(ok, message, status=200):
        """Kuaidi100's expected answer: anything but result true is retried by Kuaidi100."""
        body = {"result": ok, "returnCode": "200" if ok else "500", "message": message}
        return request.make_response(
            json.dumps(body, ensure_ascii=False),
            headers=[("Content-Type", "application/json; charset=utf-8")],
            status=status,
        )

    @http.route(
        _push_url, type="http", auth="public", methods=["POST"], csrf=False, save_session=False
    )
    def kuaidi100_push(self, **_kwargs):
        """A parcel's news, pushed by Kuaidi100 (form fields ``param`` and ``sign``).

        Answers 200 with result true once stored (also for a repeated push),
        400 for a malformed or oversized push, 403 for a forged signature or
        an unknown parcel; nothing is written unless the answer is 200.
        """
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > const.MAX_PUSH_BYTES:
            _logger.warning("Kuaidi100 push refused: %s bytes", httprequest.content_length)
            return self._answer(False, "too large", status=400)
        param = httprequest.form.get("param")
        sign = httprequest.form.get("sign")
        if not param or not sign or len(param) > const.MAX_PUSH_BYTES:
            return self._answer(False, "missing param or sign", status=400)
        try:
            request.env["stock.picking"].sudo()._parcel_process_push(param, sign)
        except ValidationError:
            return self._answer(False, "malformed param", status=400)
        except AccessError:
            return self._answer(False, "unknown parcel or wrong sign", status=403)
        return self._answer(True, "成功")
