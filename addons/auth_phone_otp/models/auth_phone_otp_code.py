import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from odoo import api, fields, models, modules, tools
from odoo.exceptions import UserError

from ..const import (
    CODE_LENGTH,
    CODE_RE,
    CODE_TTL_MINUTES,
    DEFAULT_LIMITS,
    LOGIN_TOKEN_MINUTES,
    MAX_ATTEMPTS,
    PARAM_PREFIX,
)
from ..utils import mask_phone, normalize_mainland_phone
from .sms_provider import (
    AliyunSmsProvider,
    LogSmsProvider,
    SmsError,
    TencentSmsProvider,
)

_logger = logging.getLogger(__name__)
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


class AuthPhoneOtpCode(models.Model):
    """One SMS code sent to a phone number, stored hashed.

    A code lives five minutes and allows five attempts; asking for a new code
    replaces the pending one. Once verified it yields a one-time login token,
    which ``res.users._check_credentials`` accepts once, within two minutes.
    Sending is rate-limited per number and per IP address (settings).
    """

    _name = "auth.phone.otp.code"
    _description = "SMS Sign-in Code"
    _order = "id desc"

    phone = fields.Char(required=True, index=True, readonly=True)
    # the application's clock, not the transaction's (create_date): limits and
    # expiry compare like with like
    sent_at = fields.Datetime(required=True, readonly=True, index=True)
    code_hash = fields.Char(required=True, readonly=True)
    ip_address = fields.Char(string="IP Address", index=True, readonly=True)
    expires_at = fields.Datetime(required=True, readonly=True)
    attempts = fields.Integer(readonly=True)
    state = fields.Selection(
        [
            ("pending", "Sent"),
            ("verified", "Verified"),
            ("used", "Signed In"),
            ("blocked", "Too Many Attempts"),
            ("replaced", "Replaced"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    login_token_hash = fields.Char(readonly=True)
    verified_at = fields.Datetime(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, ondelete="cascade")
    provider = fields.Char(readonly=True)
    provider_ref = fields.Char(string="Provider Reference", readonly=True)

    # ------------------------------------------------------------------
    # Settings and helpers
    # ------------------------------------------------------------------
    @api.model
    def _limit(self, key):
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + key)
        try:
            return max(1, int(value)) if value else DEFAULT_LIMITS[key]
        except ValueError:
            return DEFAULT_LIMITS[key]

    @api.model
    def _hash(self, phone, value):
        """HMAC of a code or token, keyed by the database secret and the number:
        a stolen table gives neither codes nor tokens."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hmac.new(secret.encode(), f"{phone}:{value}".encode(), hashlib.sha256).hexdigest()

    @api.model
    def _generate_code(self):
        return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"

    @api.model
    def _normalize_or_raise(self, raw):
        phone = normalize_mainland_phone(raw)
        if not phone:
            raise UserError(
                self.env._("Enter a mainland China mobile number: 11 digits, starting with 1.")
            )
        return phone

    @api.model
    def _log_provider_allowed(self):
        """The log provider writes codes in the server log: development only."""
        return bool(tools.config.get("dev_mode") or modules.module.current_test)

    @api.model
    def _sms_provider(self):
        params = self.env["ir.config_parameter"].sudo()

        def param(name):
            return params.get_param(PARAM_PREFIX + name) or ""

        name = param("provider") or "log"
        if name == "aliyun":
            return "aliyun", AliyunSmsProvider(
                param("aliyun_access_key_id"),
                param("aliyun_access_key_secret"),
                param("aliyun_sign_name"),
                param("aliyun_template_code"),
                endpoint=param("aliyun_endpoint") or None,
            )
        if name == "tencent":
            return "tencent", TencentSmsProvider(
                param("tencent_secret_id"),
                param("tencent_secret_key"),
                param("tencent_sdk_app_id"),
                param("tencent_sign_name"),
                param("tencent_template_id"),
                region=param("tencent_region") or "ap-guangzhou",
                endpoint=param("tencent_endpoint") or None,
            )
        if not self._log_provider_allowed():
            raise UserError(
                self.env._(
                    "Text messages are not set up: choose Aliyun or Tencent Cloud in the "
                    "settings (the log provider only works in development)."
                )
            )
        return "log", LogSmsProvider(_logger)

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _send_code(self, raw_phone, ip_address):
        """Send a new code to ``raw_phone``; returns the normalised number.

        Raises UserError, and leaves nothing behind, when the number is not a
        mainland mobile, a limit is reached or the SMS service refuses.
        Requests at once about one number or from one address are decided one
        after the other (``auth.phone.otp.throttle``).
        """
        phone = self._normalize_or_raise(raw_phone)
        now = fields.Datetime.now()
        hour_ago = now - timedelta(hours=1)
        last = self.search([("phone", "=", phone)], order="sent_at desc", limit=1)
        wait = self._limit("resend_seconds") - (now - last.sent_at).total_seconds() if last else 0
        if wait > 0:
            raise UserError(
                self.env._(
                    "A code was just sent: ask again in %(seconds)s seconds.",
                    seconds=int(wait) + 1,
                )
            )
        if self.search_count([("phone", "=", phone), ("sent_at", ">", hour_ago)]) >= self._limit(
            "max_per_phone_hour"
        ):
            raise UserError(self.env._("Too many codes for this number: try again in an hour."))
        if ip_address:
            if self.search_count(
                [("ip_address", "=", ip_address), ("sent_at", ">", hour_ago)]
            ) >= self._limit("max_per_ip_hour"):
                raise UserError(
                    self.env._("Too many codes from your network: try again in an hour.")
                )
        # before anything is sent: a request at once with this one fails here
        # to serialize, and is run again seeing this code
        keys = [f"phone:{phone}"] + ([f"ip:{ip_address}"] if ip_address else [])
        self.env["auth.phone.otp.throttle"].sudo()._touch(keys)
        self.search([("phone", "=", phone), ("state", "=", "pending")]).write({"state": "replaced"})
        code = self._generate_code()
        provider_name, provider = self._sms_provider()
        record = self.create(
            {
                "phone": phone,
                "sent_at": now,
                "code_hash": self._hash(phone, code),
                "ip_address": ip_address,
                "expires_at": now + timedelta(minutes=CODE_TTL_MINUTES),
                "provider": provider_name,
            }
        )
        try:
            record.provider_ref = provider.send_code(phone, code)
        except SmsError as error:
            _logger.warning(
                "SMS to %s refused by %s: %s %s",
                mask_phone(phone),
                provider_name,
                error.code,
                error.message,
            )
            raise UserError(
                self.env._(
                    "The text message could not be sent (%(reason)s). Try again later.",
                    reason=error.code,
                )
            ) from error
        return phone

    # ------------------------------------------------------------------
    # Verifying
    # ------------------------------------------------------------------
    @api.model
    def _verify_code(self, raw_phone, code):
        """Check ``code`` against the pending code of ``raw_phone``.

        Returns (phone, login token) on success; raises UserError otherwise,
        after the attempt is counted: the caller commits the count (the
        controller answers with the message instead of rolling back).
        """
        phone = self._normalize_or_raise(raw_phone)
        code = (code if isinstance(code, str) else "").strip().translate(_FULL_WIDTH_DIGITS)
        if not CODE_RE.match(code):
            raise UserError(self.env._("The code is the 6 digits of the text message."))
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT id FROM auth_phone_otp_code
             WHERE phone = %s AND state = 'pending'
             ORDER BY id DESC LIMIT 1
               FOR UPDATE
            """,
            [phone],
        )
        row = self.env.cr.fetchone()
        if not row:
            raise UserError(self.env._("Ask for a code first."))
        record = self.browse(row[0])
        if record.expires_at < fields.Datetime.now():
            record.state = "replaced"
            raise UserError(self.env._("This code has expired: ask for a new one."))
        record.attempts += 1
        if not hmac.compare_digest(record.code_hash, self._hash(phone, code)):
            left = MAX_ATTEMPTS - record.attempts
            if left <= 0:
                record.state = "blocked"
                raise UserError(self.env._("Too many wrong codes: ask for a new one."))
            raise UserError(self.env._("Wrong code: %(left)s attempts left.", left=left))
        token = secrets.token_urlsafe(32)
        record.write(
            {
                "state": "verified",
                "verified_at": fields.Datetime.now(),
                "login_token_hash": self._hash(phone, token),
            }
        )
        return phone, token

    @api.model
    def _consume_login_token(self, user, token):
        """True once for a token from ``_verify_code`` of the user's number."""
        phone = user.sudo().login_phone
        if not phone or not token or not isinstance(token, str) or len(token) > 128:
            return False
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT id FROM auth_phone_otp_code
             WHERE phone = %s AND state = 'verified' AND login_token_hash = %s
               AND verified_at > %s
               FOR UPDATE
            """,
            [
                phone,
                self._hash(phone, token),
                fields.Datetime.now() - timedelta(minutes=LOGIN_TOKEN_MINUTES),
            ],
        )
        row = self.env.cr.fetchone()
        if not row:
            return False
        record = self.browse(row[0]).sudo()
        record.write({"state": "used", "user_id": user.id})
        record.flush_recordset()
        return True

    @api.autovacuum
    def _gc_old_codes(self):
        """Codes are evidence for a day (support questions), then go."""
        limit = fields.Datetime.now() - timedelta(days=1)
        self.sudo().search([("sent_at", "<", limit)]).unlink()
