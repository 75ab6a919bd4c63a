"""Pure helpers: what makes two phone numbers or two addresses the same."""

import re
import unicodedata

_NOT_DIGIT_RE = re.compile(r"\D")
MAINLAND_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# shorter than this is an extension or a typo, not a number two people share
MIN_PHONE_DIGITS = 7


def normalize_phone(raw):
    """The digits of a phone number as two people writing it would share them.

    A mainland mobile number in any usual writing ('+86 138-0013-8000',
    '0086 13800138000', '８６１３８００１３８０００') becomes its 11 digits; any
    other number its digits; anything shorter than MIN_PHONE_DIGITS, None.
    """
    if not raw:
        return None
    digits = _NOT_DIGIT_RE.sub("", unicodedata.normalize("NFKC", raw))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and MAINLAND_MOBILE_RE.match(digits[len(prefix) :]):
            digits = digits[len(prefix) :]
            break
    return digits if len(digits) >= MIN_PHONE_DIGITS else None


def mask_phone(digits):
    """'138****8000': what a risk event may show of a shared number."""
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else "****"


def _squash(text):
    """Letters and digits only, case and width folded: '文一西路 969 号' == '文一西路969号'."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(char for char in text if char.isalnum())


def normalize_address(street, street2, city, zip_code, state_id):
    """(street, city, zip, state) to compare, or None without a street."""
    street = _squash(f"{street or ''}{street2 or ''}")
    if not street:
        return None
    return (street, _squash(city), _squash(zip_code), state_id or None)


def same_address(one, other):
    """The same street, and no contradiction in city, zip or state (a part left
    empty on one side does not tell them apart)."""
    if not one or not other or one[0] != other[0]:
        return False
    return all(not a or not b or a == b for a, b in zip(one[1:], other[1:], strict=True))
