"""Strict parsing of what a route receives: one helper per kind of value.

A URL or a form carries text; a route turns it into an id, a page number, a
price, a token or a search text. Python's own conversions are not strict
enough for that: ``"²".isdigit()`` is true but ``int("²")`` fails, ``int()``
takes full-width digits ("１２"), ``float()`` takes "nan" and "1e999", and
PostgreSQL refuses a NUL character in a string. Each helper here takes the
raw value (a string, or anything a JSON request sends), returns the parsed
value or ``default`` when the parameter is absent or empty, and raises a
``BadRequest`` (400) with a message that names the parameter otherwise, so
that a hostile request is answered 4xx and never reaches the database.

Pure functions, no Odoo model: every module of the suite built on ``fenxiao``
imports them from ``odoo.addons.fenxiao.tools.params``.
"""

import math
import re

from werkzeug.exceptions import BadRequest, NotFound

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# PostgreSQL's integer: the largest id a table can hold
MAX_ID = 2**31 - 1
# the portal's lists never have more pages than this
MAX_PAGE = 10000
# a price filter above this is a typo or an attack, not a budget
MAX_PRICE = 10**12
MAX_TOKEN = 512
MAX_TEXT = 1000

# ASCII digits only: str.isdigit() and int() accept far more
_DIGITS_RE = re.compile(r"[0-9]{1,10}", re.ASCII)
_DECIMAL_RE = re.compile(r"[0-9]{1,15}(\.[0-9]{0,6})?", re.ASCII)
# printable ASCII without space: what a signed token or a reference is made of
_TOKEN_RE = re.compile(r"[\x21-\x7e]+", re.ASCII)
# C0 controls (NUL, newline...), DEL and C1 controls
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _absent(value):
    return value is None or value == ""


def _ascii_int(value):
    """An int as JSON sends it, or ASCII digits as a URL does; None otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DIGITS_RE.fullmatch(value):
        return int(value)
    return None


def parse_id(value, name="id", default=None):
    """A positive database id written in ASCII digits, within PostgreSQL's integer."""
    if _absent(value):
        return default
    number = _ascii_int(value)
    if number is None or not 0 < number <= MAX_ID:
        raise BadRequest(str(_lt("The parameter “%(name)s” is not an id.", name=name)))
    return number


def parse_page(value, default=1):
    """A page number of a list: a missing page gives the first; a page that
    cannot exist is not found (404), as a page past the end would be."""
    if _absent(value):
        return default
    number = _ascii_int(value)
    if number is None or not 0 < number <= MAX_PAGE:
        raise NotFound(str(_lt("There is no such page.")))
    return number


def parse_price(value, name="price", default=None, maximum=MAX_PRICE):
    """A non-negative decimal amount as a float: finite, at most ``maximum``,
    at most six decimals; no exponent, no "nan", no "inf"."""
    if _absent(value):
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and _DECIMAL_RE.fullmatch(value.strip()):
        number = float(value.strip())
    else:
        raise BadRequest(str(_lt("The parameter “%(name)s” is not an amount.", name=name)))
    if not math.isfinite(number) or not 0 <= number <= maximum:
        raise BadRequest(str(_lt("The parameter “%(name)s” is not an amount.", name=name)))
    return number


def parse_token(value, name="token", default=None, max_length=MAX_TOKEN):
    """An opaque token (access token, signed link, reference): printable ASCII
    without spaces, at most ``max_length`` characters."""
    if _absent(value):
        return default
    if not isinstance(value, str) or len(value) > max_length or not _TOKEN_RE.fullmatch(value):
        raise BadRequest(str(_lt("The parameter “%(name)s” is not a valid token.", name=name)))
    return value


def parse_text(value, name="text", default="", max_length=MAX_TEXT, multiline=False):
    """A code or a search text: a string without NUL or other control
    characters (tabs and line breaks only when ``multiline``), at most
    ``max_length`` characters."""
    if _absent(value):
        return default
    control = _CONTROL_BUT_LINES_RE if multiline else _CONTROL_RE
    if not isinstance(value, str) or len(value) > max_length or control.search(value):
        raise BadRequest(str(_lt("The parameter “%(name)s” is not a valid text.", name=name)))
    return value
