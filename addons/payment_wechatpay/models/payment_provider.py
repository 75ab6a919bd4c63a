import json
import logging
import secrets
import threading
import time

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.core import Core
from wechatpayv3.utils import load_public_key

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import const

_logger = logging.getLogger(__name__)

# Platform certificates downloaded from /v3/certificates, per merchant and
# gateway: {key: (downloaded at, [certificate])}. Downloading them for each
# call would double every call; they change once a year or so.
_CERTIFICATES = {}
_CERTIFICATES_LOCK = threading.Lock()
# (connect, read) seconds: a shopper waits on the checkout call
TIMEOUT = (5, 15)
# where scripts/wechatpay_simulator serves the demo's WeChat Pay
DEMO_GATEWAY_URL = "http://127.0.0.1:8196"


class WeChatPayRefused(ValidationError):
    """WeChat Pay answered, and said no: ``code`` is its reason
    (ORDER_NOT_EXIST, ORDERPAID, NOT_ENOUGH, INVALID_REQUEST, ...)."""

    def __init__(self, message, code, status):
        super().__init__(message)
        self.code = code
        self.status = status


class _GatewayCore(Core):
    """The SDK's core on a chosen gateway (WeChat Pay's, or a local simulator)
    and with the platform certificates it already has: the SDK's own core
    downloads them from WeChat Pay's address before one can change it."""

    def __init__(self, *args, gateway=None, certificates=None, **kwargs):
        self._gateway = gateway or const.API_BASE
        self._known_certificates = certificates or []
        super().__init__(*args, **kwargs)
        self._gate_way = self._gateway

    def _init_certificates(self):
        self._gate_way = self._gateway
        if self._known_certificates:
            self._certificates.extend(self._known_certificates)
            return
        super()._init_certificates()


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("wechatpay", "WeChat Pay")], ondelete={"wechatpay": "set default"}
    )
    wechatpay_mch_id = fields.Char(
        string="Merchant ID (商户号)", required_if_provider="wechatpay", groups="base.group_system"
    )
    wechatpay_app_id = fields.Char(
        string="AppID",
        required_if_provider="wechatpay",
        groups="base.group_system",
        help="The official account's AppID bound to the merchant: JSAPI pay needs the "
        "shopper's openid of this app, as WeChat login gives it.",
    )
    wechatpay_serial_no = fields.Char(
        string="Merchant Certificate Serial No.",
        required_if_provider="wechatpay",
        groups="base.group_system",
        help="The serial number of the merchant API certificate (商户API证书序列号).",
    )
    wechatpay_private_key = fields.Text(
        string="Merchant Private Key",
        required_if_provider="wechatpay",
        groups="base.group_system",
        help="The merchant API certificate's private key, apiclient_key.pem: it signs every "
        "request.",
    )
    wechatpay_apiv3_key = fields.Char(
        string="APIv3 Key",
        required_if_provider="wechatpay",
        groups="base.group_system",
        help="The 32-character key set in the merchant platform: it decrypts notifications.",
    )
    wechatpay_public_key_id = fields.Char(
        string="WeChat Pay Public Key ID",
        groups="base.group_system",
        help="With WeChat Pay's public key (微信支付公钥, PUB_KEY_ID_...). Leave both empty for "
        "merchants still on platform certificates, which are then downloaded and renewed.",
    )
    wechatpay_public_key = fields.Text(string="WeChat Pay Public Key", groups="base.group_system")
    wechatpay_checkout = fields.Selection(
        [
            (
                "auto",
                "By device: QR code on computers, in WeChat pay in place, H5 in phone browsers",
            ),
            ("no_h5", "By device, without H5: QR code in phone browsers"),
            ("native", "Always the QR code"),
        ],
        string="Checkout",
        default="auto",
        required=True,
        help="H5 pay must be approved for the merchant by WeChat Pay first.",
    )
    wechatpay_payment_minutes = fields.Integer(
        string="WeChat Pay: Minutes to Pay",
        default=30,
        help="An unpaid WeChat Pay order is closed after this, and its transaction cancelled.",
    )
    wechatpay_gateway_url = fields.Char(
        string="WeChat Pay Gateway URL",
        groups="base.group_system",
        help="Leave empty for WeChat Pay. A local simulator's URL for tests and demos.",
    )

    def _compute_feature_support_fields(self):  # pylint: disable=missing-return
        super()._compute_feature_support_fields()
        self.filtered(lambda p: p.code == "wechatpay").support_refund = "partial"

    def _get_supported_currencies(self):
        supported = super()._get_supported_currencies()
        if self.code == "wechatpay":
            supported = supported.filtered(lambda c: c.name in const.SUPPORTED_CURRENCIES)
        return supported

    def _get_default_payment_method_codes(self):
        codes = super()._get_default_payment_method_codes()
        if self.code != "wechatpay":
            return codes
        return const.DEFAULT_PAYMENT_METHOD_CODES

    def _get_minutes_to_pay(self):
        if self.code != "wechatpay":
            return super()._get_minutes_to_pay()
        return max(1, self.wechatpay_payment_minutes)

    @api.constrains(
        "wechatpay_private_key",
        "wechatpay_apiv3_key",
        "wechatpay_public_key",
        "wechatpay_public_key_id",
    )
    def _check_wechatpay_keys(self):
        for provider in self.sudo().filtered(lambda p: p.code == "wechatpay"):
            if provider.wechatpay_apiv3_key and len(provider.wechatpay_apiv3_key.encode()) != 32:
                raise ValidationError(self.env._("WeChat Pay: the APIv3 key has 32 characters."))
            if provider.wechatpay_private_key:
                try:
                    load_pem_private_key(provider._wechatpay_pem(), None)
                except (ValueError, TypeError) as error:
                    raise ValidationError(
                        self.env._("WeChat Pay: the merchant private key is not a PEM RSA key.")
                    ) from error
            if bool(provider.wechatpay_public_key) != bool(provider.wechatpay_public_key_id):
                raise ValidationError(
                    self.env._("WeChat Pay: give the public key and its ID together, or neither.")
                )
            if provider.wechatpay_public_key:
                try:
                    load_public_key(provider.wechatpay_public_key)
                except Exception as error:  # noqa: BLE001 pylint: disable=broad-exception-caught
                    # the SDK raises a bare Exception for a key it cannot read
                    raise ValidationError(
                        self.env._("WeChat Pay: the WeChat Pay public key is not a PEM key.")
                    ) from error

    @api.model
    def _wechatpay_demo_setup(self, gateway_url=DEMO_GATEWAY_URL):
        """Demo data: WeChat Pay in test mode against the local simulator
        (``scripts/wechatpay_simulator``), published on the shop. The keys
        made here only make the provider valid: the simulator writes its own
        when it starts."""
        merchant_private, __ = _new_rsa_key()
        __, platform_public = _new_rsa_key()
        self.env.ref("payment_wechatpay.payment_provider_wechatpay").write(
            {
                "wechatpay_mch_id": "1900000109",
                "wechatpay_app_id": "wx8888888888888888",
                "wechatpay_serial_no": secrets.token_hex(20).upper(),
                "wechatpay_private_key": merchant_private,
                "wechatpay_apiv3_key": secrets.token_hex(16),
                "wechatpay_public_key_id": "PUB_KEY_ID_0" + secrets.token_hex(15).upper(),
                "wechatpay_public_key": platform_public,
                "wechatpay_gateway_url": gateway_url,
                "state": "test",
                "is_published": True,
            }
        )

    def _wechatpay_pem(self):
        key = self.sudo().wechatpay_private_key.strip()
        if not key.startswith("-----"):  # pasted without its armour, as the SDK accepts
            key = f"-----BEGIN PRIVATE KEY-----\n{key}\n-----END PRIVATE KEY-----"
        return key.encode()

    # ------------------------------------------------------------------
    # The SDK client
    # ------------------------------------------------------------------
    def _wechatpay_certificate_key(self):
        provider = self.sudo()
        return (
            self.env.cr.dbname,
            provider.id,
            provider.wechatpay_mch_id,
            provider.wechatpay_apiv3_key,
            provider.wechatpay_gateway_url or const.API_BASE,
        )

    def _wechatpay_client(self, max_age=None):
        """The SDK client of this provider, on its gateway.

        With WeChat Pay's public key, answers and notifications are checked
        with it; otherwise with the platform certificates, downloaded (and
        decrypted with the APIv3 key) once and kept; expired ones are dropped.
        """
        self.ensure_one()
        provider = self.sudo()
        key = provider._wechatpay_certificate_key()
        certificates = []
        if not provider.wechatpay_public_key:
            now = time.time()
            with _CERTIFICATES_LOCK:
                fetched_at, cached = _CERTIFICATES.get(key, (0, []))
            if now - fetched_at < (max_age or const.CERTIFICATE_CACHE_SECONDS):
                certificates = [cert for cert in cached if _certificate_valid(cert)]
        try:
            core = _GatewayCore(
                mchid=provider.wechatpay_mch_id,
                cert_serial_no=provider.wechatpay_serial_no,
                private_key=provider.wechatpay_private_key,
                apiv3_key=provider.wechatpay_apiv3_key,
                public_key=provider.wechatpay_public_key or None,
                public_key_id=provider.wechatpay_public_key_id or None,
                timeout=TIMEOUT,
                gateway=provider.wechatpay_gateway_url,
                certificates=certificates,
            )
        except requests.RequestException as error:
            _logger.warning("WeChat Pay: platform certificates not downloaded: %s", error)
            raise ValidationError(
                self.env._("WeChat Pay: The gateway did not answer; try again later.")
            ) from error
        except Exception as error:  # noqa: BLE001 pylint: disable=broad-exception-caught
            # the SDK raises a bare Exception when no valid platform certificate came
            _logger.warning("WeChat Pay: no usable platform certificate: %s", error)
            raise ValidationError(
                self.env._(
                    "WeChat Pay: No valid platform certificate could be obtained (check the "
                    "APIv3 key, or use WeChat Pay's public key)."
                )
            ) from error
        if not provider.wechatpay_public_key and not certificates:  # just downloaded
            with _CERTIFICATES_LOCK:
                _CERTIFICATES[key] = (time.time(), list(core._certificates))
        # WeChatPay.__init__ would build the SDK's own core: give it ours
        client = WeChatPay.__new__(WeChatPay)
        client._type = WeChatPayType.NATIVE  # only a default: every pay call names its own
        client._mchid = provider.wechatpay_mch_id
        client._appid = provider.wechatpay_app_id
        client._notify_url = None
        client._core = core
        client._partner_mode = False
        return client

    def _wechatpay_call(self, method, **kwargs):
        """One server API call (pay, query, close, refund, transfer): the
        answer WeChat Pay signed, or ValidationError; WeChatPayRefused when
        WeChat Pay answered with a reason."""
        client = self._wechatpay_client()
        try:
            status, text = getattr(client, method)(**kwargs)
        except requests.RequestException as error:  # unreachable, timeout
            _logger.warning("WeChat Pay %s failed: %s", method, error)
            raise ValidationError(
                self.env._("WeChat Pay: The gateway did not answer; try again later.")
            ) from error
        except Exception as error:  # noqa: BLE001 pylint: disable=broad-exception-caught
            # the SDK raises a bare Exception for an answer whose signature fails
            _logger.warning("WeChat Pay %s: %s", method, error)
            raise ValidationError(
                self.env._("WeChat Pay: The answer's signature is not WeChat Pay's.")
            ) from error
        try:
            answer = json.loads(text) if text else {}
        except (TypeError, ValueError):
            answer = {}
        if status >= 500:
            _logger.warning("WeChat Pay %s answered %s: %s", method, status, answer)
            raise ValidationError(
                self.env._("WeChat Pay: The gateway did not answer; try again later.")
            )
        if status >= 400:
            raise WeChatPayRefused(
                self.env._(
                    "WeChat Pay: Refused (%(code)s %(message)s).",
                    code=answer.get("code") or status,
                    message=answer.get("message") or "",
                ),
                answer.get("code"),
                status,
            )
        return answer

    def _wechatpay_process_transfer(self, resource):
        """A transfer notification (商家转账到零钱), already verified: the module
        that sent the transfer applies it and says True. Nobody here did."""
        return False

    def _wechatpay_read_notification(self, headers, body):
        """The notification ``body`` as a dict whose resource is decrypted, when
        WeChat Pay signed it for this merchant and lately; else None."""
        self.ensure_one()
        try:
            timestamp = int(headers.get("Wechatpay-Timestamp") or 0)
        except ValueError:
            return None
        if abs(time.time() - timestamp) > const.NOTIFICATION_MAX_AGE_SECONDS:
            return None  # a replay, or a forger's guess
        serial = (headers.get("Wechatpay-Serial") or "").upper()
        provider = self.sudo()
        if provider.wechatpay_public_key_id:
            if serial != provider.wechatpay_public_key_id.upper():
                return None
            client = self._wechatpay_client()
        else:
            # A serial we do not know: a renewed certificate (downloaded again,
            # at most once a minute) or a forger's (not worth more).
            client = self._wechatpay_client()
            if serial not in _serials(client):
                client = self._wechatpay_client(max_age=const.CERTIFICATE_REFRESH_SECONDS)
                if serial not in _serials(client):
                    return None
        try:
            data = client.callback(headers, body)
        except Exception:  # noqa: BLE001 pylint: disable=broad-exception-caught
            # the SDK raises bare Exceptions for unknown algorithms and bad JSON
            return None
        if not isinstance(data, dict) or not isinstance(data.get("resource"), dict):
            return None
        return data


def _new_rsa_key():
    """(private PKCS#8 PEM, public PEM) of a fresh 2048-bit key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def _serials(client):
    return {format(cert.serial_number, "X") for cert in client._core._certificates}


def _certificate_valid(certificate):
    now = time.time()
    return (
        certificate.not_valid_before_utc.timestamp()
        <= now
        <= certificate.not_valid_after_utc.timestamp()
    )
