"""Defaults and formats of sign-in by SMS code."""

import re

CODE_LENGTH = 6
CODE_TTL_MINUTES = 5
MAX_ATTEMPTS = 5
# Settings (ir.config_parameter) and their defaults.
PARAM_PREFIX = "auth_phone_otp."
DEFAULT_LIMITS = {
    "max_per_phone_hour": 5,
    "max_per_ip_hour": 20,
    "resend_seconds": 60,
}
# How long a verified code may be turned into a session.
LOGIN_TOKEN_MINUTES = 2
# Mainland China mobile numbers: 11 digits starting 13-19.
MAINLAND_MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
CODE_RE = re.compile(rf"^[0-9]{{{CODE_LENGTH}}}$")
MAX_PHONE_INPUT = 32
# Longer "redirect" or "next" parameters are refused rather than checked.
MAX_LOCAL_PATH = 2048
