"""What a payment route may take from the outside, for the suite's providers.

The payment providers do not depend on ``fenxiao`` (a shop may install WeChat
Pay or Alipay alone), so their routes check their two kinds of parameter here,
in the module both build on, the same way ``fenxiao.tools.params`` does for the
rest of the suite: a reference (``out_trade_no``) is text of bounded length
without control characters (a NUL would reach PostgreSQL, which refuses it),
an access token is printable ASCII of bounded length; anything else ('令牌' as
a token, a list sent in JSON) is no reference and no token.
"""

import re

# Odoo's references ("S00012-3") and our HMAC tokens (hex) are far shorter
MAX_REFERENCE = 64
MAX_ACCESS_TOKEN = 128
_PRINTABLE_ASCII_RE = re.compile(r"[\x21-\x7e]+", re.ASCII)
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def parse_reference(value):
    """A transaction reference as it came, or None if it cannot be one (a
    shop's order numbers may have Chinese prefixes: not only ASCII)."""
    if not isinstance(value, str) or not value or len(value) > MAX_REFERENCE:
        return None
    return None if _CONTROL_RE.search(value) else value


def parse_access_token(value):
    """An access token as it came, or None if it cannot be one (compared with
    ``hmac.compare_digest``, which raises on anything but ASCII text)."""
    if not isinstance(value, str) or len(value) > MAX_ACCESS_TOKEN:
        return None
    return value if _PRINTABLE_ASCII_RE.fullmatch(value) else None


def has_nul(data):
    """Whether any value of a posted form holds a NUL character, which no
    gateway sends and PostgreSQL refuses to store."""
    return any(isinstance(value, str) and "\x00" in value for value in data.values())
