"""Small pure helpers for the Kuaidi100 wire format."""

import hashlib
import hmac
import json
import re
from datetime import datetime

import pytz

from . import const

TRACKING_NUMBER = re.compile(r"[A-Za-z0-9]{6,32}")


def md5_upper(text):
    """Kuaidi100's signatures: upper-case hex MD5 of the UTF-8 text."""
    return hashlib.md5(text.encode()).hexdigest().upper()  # noqa: S324 - Kuaidi100's scheme


def push_sign(param, salt):
    """The ``sign`` of a push: MD5(param + salt)."""
    return md5_upper(param + salt)


def query_sign(param, key, customer):
    """The ``sign`` of a real-time query: MD5(param + key + customer)."""
    return md5_upper(param + key + customer)


def same_sign(expected, given):
    return hmac.compare_digest(expected.encode(), (given or "").strip().upper().encode())


def valid_tracking_number(number):
    return bool(number and TRACKING_NUMBER.fullmatch(number))


def phone_tail(phone):
    """The last four digits of a phone number, as Kuaidi100 asks for SF Express."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-4:] if len(digits) >= 4 else ""


def dumps(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def main_state(status_code):
    """The parcel state (const.PARCEL_STATES) of an event's ``statusCode``.

    With resultv2=4 Kuaidi100 refines the ten states: 101..1xx are 揽收,
    1001..1003 在途, 10..13 清关, 301.. 签收, 14xx 拒签, and so on.
    """
    code = str(status_code or "").strip()
    if code in const.STATE_CODES:
        return code
    if not code.isdigit():
        return None
    if code in ("10", "11", "12", "13"):
        return "8"
    if len(code) == 4 and code.startswith("10"):
        return "0"
    if len(code) == 4 and code.startswith("14"):
        return "14"
    if len(code) == 3 and code[0] in const.STATE_CODES:
        return code[0]
    return None


def parse_time(value):
    """A Kuaidi100 time (Beijing, ``YYYY-MM-DD HH:MM:SS``) as naive UTC."""
    local = datetime.strptime(str(value).strip()[:19], "%Y-%m-%d %H:%M:%S")
    zone = pytz.timezone(const.KUAIDI100_TZ)
    return zone.localize(local).astimezone(pytz.utc).replace(tzinfo=None)


def format_time(value):
    """Naive UTC as a Kuaidi100 time (Beijing)."""
    zone = pytz.timezone(const.KUAIDI100_TZ)
    return pytz.utc.localize(value).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def parse_events(result):
    """The events of a Kuaidi100 result (a push's ``lastResult`` or a query's
    answer) as [{event_time, context, location, state, status_code}].

    Raises ValueError on anything that is not the documented shape, so that a
    malformed result writes nothing.
    """
    if not isinstance(result, dict):
        raise ValueError("result is not an object")
    data = result.get("data") or []
    if not isinstance(data, list) or len(data) > const.MAX_EVENTS:
        raise ValueError("data is not a list of events")
    events = []
    for item in data:
        if not isinstance(item, dict):
            raise ValueError("event is not an object")
        context = item.get("context")
        if not isinstance(context, str) or not context.strip():
            raise ValueError("event without context")
        if len(context) > const.MAX_CONTEXT:
            raise ValueError("event context too long")
        location = item.get("areaName") or item.get("location") or ""
        if not isinstance(location, str):
            raise ValueError("event location is not text")
        status_code = str(item.get("statusCode") or "")[:8]
        events.append(
            {
                "event_time": parse_time(item.get("ftime") or item.get("time")),
                "context": context.strip(),
                "location": location.strip()[:200],
                "state": main_state(status_code),
                "status_code": status_code,
            }
        )
    return events
