"""Small pure helpers of sign-in by SMS code, and of the suite's other sign-ins."""

import re
from urllib.parse import unquote

from .const import MAINLAND_MOBILE_RE, MAX_LOCAL_PATH, MAX_PHONE_INPUT

_SEPARATORS_RE = re.compile(r"[\s\-().（）]")
# Chinese input methods often type full-width digits and plus sign.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋", "0123456789+")


def normalize_mainland_phone(raw):
    """'+8613812345678' for any usual way of writing a mainland mobile number
    ('138 1234 5678', '+86-138-1234-5678', '0086 13812345678', '8613812345678'),
    None for anything else."""
    if not isinstance(raw, str) or len(raw) > MAX_PHONE_INPUT:
        return None
    digits = _SEPARATORS_RE.sub("", raw.translate(_FULL_WIDTH))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    else:
        if digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
    if not MAINLAND_MOBILE_RE.match(digits):
        return None
    return f"+86{digits}"


def mask_phone(phone, country_code=False):
    """What a page or a log may show of a phone number, as Chinese apps show it.

    '+8613812345678', '138 1234 5678' → '138****5678' ('+86138****5678' with
    ``country_code``, for logs that name the number as it was sent); a shorter
    number keeps its last four digits, anything else shows nothing of itself
    (and no number, nothing at all).
    """
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if len(digits) >= 11:
        prefix = "+" + digits[:-11] if country_code and digits[:-11] else ""
        digits = digits[-11:]
        return f"{prefix}{digits[:3]}****{digits[-4:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "***" if digits else ""


def local_path(url):
    """``url`` if it is a path on this website, else None: the check against
    open redirects of every ``redirect`` / ``next`` parameter of the suite.

    A local path starts with one "/" not followed by another "/" or by "\\":
    browsers read "//host", "/\\host" and "\\\\host" as another site. Control
    characters are refused too, since browsers drop tabs and newlines from a
    URL ("/\\t/host" would become "//host") and a newline must never reach a
    header. Anything with a scheme ("https:", "javascript:") does not start
    with "/". The same holds once percent-decoded ("/%5Chost", "/%2F/host",
    "/%09/host"), as the path may be decoded on its way (a login form's
    hidden field, a proxy, another redirect).
    """
    if not isinstance(url, str) or not url or len(url) > MAX_LOCAL_PATH:
        return None
    decoded = url
    # each round removes a level of encoding: a few are enough for any real link
    for _round in range(4):
        if decoded[0] != "/" or decoded[1:2] in ("/", "\\"):
            return None
        if any(ord(char) < 32 or ord(char) == 127 for char in decoded):
            return None
        decoded, previous = unquote(decoded), decoded
        if decoded == previous:
            return url
    return None
