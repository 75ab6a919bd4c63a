# Apart from ir_http.py on purpose: see the class's docstring.
# pylint: disable=consider-merging-classes-inherited
import functools
import re

from werkzeug.exceptions import BadRequest
from werkzeug.routing import ValidationError

from odoo import models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# NUL, line breaks and other controls: no page has them in its path, and
# PostgreSQL (NUL) or a redirect's Location header (line breaks) refuse them
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

# Headers every answer of the website carries unless the route chose its own.
# frame-ancestors 'self': only this site may show its pages in a frame (the
# website editor frames the site on the same origin; Odoo's login page sends
# the same, the back office its own DENY).
SECURITY_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
SESSION_COOKIE = "session_id="
# PostgreSQL's integer: every id and page number of a route fits in it
MAX_ROUTE_INT = 2**31 - 1


@functools.cache
def _strict_converter(converter):
    """``converter`` that does not match a value it cannot convert.

    werkzeug's ``<int:...>`` and Odoo's ``<model(...):...>`` match any run of
    digits and convert it with ``int()``, which raises past 4300 digits; a
    number beyond PostgreSQL's integer fails later in a query. werkzeug's way
    of saying "this rule does not match" is ``ValidationError``: the address
    is then not found (404), as any other unknown address.
    """

    class StrictConverter(converter):
        def to_python(self, value):
            try:
                result = super().to_python(value)
            except (ValueError, OverflowError) as error:
                raise ValidationError() from error
            number = result.id if hasattr(result, "_name") else result
            if isinstance(number, int) and abs(number) > MAX_ROUTE_INT:
                raise ValidationError()
            return result

    StrictConverter.__name__ = f"Strict{converter.__name__}"
    return StrictConverter


class IrHttp(models.AbstractModel):
    """Hostile paths answered 4xx, and the website's security headers.

    Kept apart from ``ir_http.py`` (referral binding): this file only guards
    the request's path and adds headers to the response.
    """

    _inherit = "ir.http"

    @classmethod
    def _get_converters(cls):
        converters = super()._get_converters()
        for name in ("int", "model"):
            converters[name] = _strict_converter(converters[name])
        return converters

    @classmethod
    def _match(cls, path_info):
        if _CONTROL_RE.search(path_info):
            raise BadRequest(str(_lt("The address holds control characters.")))
        return super()._match(path_info)

    @classmethod
    def _post_dispatch(cls, response):
        result = super()._post_dispatch(response)
        cls._fenxiao_security_headers(response)
        return result

    @classmethod
    def _fenxiao_security_headers(cls, response):
        headers = response.headers
        for name, value in SECURITY_HEADERS.items():
            if name not in headers:
                headers[name] = value
        # the session cookie is not sent along cross-site subrequests and
        # posts (CSRF), only with top-level navigation (a link, a payment
        # gateway's or WeChat's redirect back to the shop)
        cookies = headers.getlist("Set-Cookie")
        if any(c.startswith(SESSION_COOKIE) and "samesite=" not in c.lower() for c in cookies):
            headers.remove("Set-Cookie")
            for cookie in cookies:
                if cookie.startswith(SESSION_COOKIE) and "samesite=" not in cookie.lower():
                    cookie += "; SameSite=Lax"
                headers.add("Set-Cookie", cookie)
