import json
import logging
import secrets
import threading
import time

import requests
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from wechatpayv3.utils import load_public_key

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import const, utils

_logger = logging.getLogger(__name__)

# Platform certificates downloaded from /v3/certificates, per merchant and
# gateway: {key: (downloaded at, [certificate])}. Downloading them for each
# call would double every call; they change once a year or so.
_CERTIFICATES = {}
_CERTIFICATES_LOCK = threading.Lock()
# where scripts/wechatpay_simulator serves the demo's WeChat Pay
DEMO_GATEWAY_URL = "http://127.0.0.1:8196"


class WeChatPayRefused(ValidationError):
    """WeChat Pay answered, and said no: ``code`` is its reason
    (ORDER_NOT_EXIST, ORDERPAID, NOT_ENOUGH, INVALID_REQUEST, ...)."""

    def __init__(self, message, code, status):
        super().__init__(message)
        self.code = code
        self.status = status


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
        merchant_private, __ = utils.new_rsa_key()
        __, platform_public = utils.new_rsa_key()
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
        return utils.private_key_pem(self.sudo().wechatpay_private_key)

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
            utils.gateway_url(provider),
        )

    def _wechatpay_platform_certificates(self, max_age=None):
        """The platform certificates, downloaded (and decrypted with the APIv3
        key) once and kept; expired ones are dropped. ValidationError when
        none could be had."""
        self.ensure_one()
        provider = self.sudo()
        key = provider._wechatpay_certificate_key()
        with _CERTIFICATES_LOCK:
            fetched_at, cached = _CERTIFICATES.get(key, (0, []))
        if time.time() - fetched_at < (max_age or const.CERTIFICATE_CACHE_SECONDS):
            certificates = [cert for cert in cached if utils.certificate_valid(cert)]
            if certificates:
                return certificates
        try:
            certificates = utils.download_certificates(provider)
        except requests.RequestException as error:
            _logger.warning("WeChat Pay: platform certificates not downloaded: %s", error)
            raise ValidationError(
                self.env._("WeChat Pay: The gateway did not answer; try again later.")
            ) from error
        except Exception as error:  # noqa: BLE001 pylint: disable=broad-exception-caught
            # the SDK raises bare Exceptions for a key or a certificate it cannot read
            _logger.warning("WeChat Pay: platform certificates not read: %s", error)
            certificates = []
        if not certificates:
            raise ValidationError(
                self.env._(
                    "WeChat Pay: No valid platform certificate could be obtained (check the "
                    "APIv3 key, or use WeChat Pay's public key)."
                )
            )
        with _CERTIFICATES_LOCK:
            _CERTIFICATES[key] = (time.time(), certificates)
        return certificates

    def _wechatpay_client(self, max_age=None):
        """The SDK client of this provider, on its gateway (``utils``).

        With WeChat Pay's public key, answers and notifications are checked
        with it; otherwise with the platform certificates.
        """
        self.ensure_one()
        provider = self.sudo()
        certificates = []
        if not provider.wechatpay_public_key:
            certificates = provider._wechatpay_platform_certificates(max_age=max_age)
        return utils.build_client(provider, certificates)

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
            serial_number = utils.parse_serial(serial)
            if serial_number is None:
                return None
            certificates = self._wechatpay_platform_certificates()
            if serial_number not in utils.certificate_serials(certificates):
                max_age = const.CERTIFICATE_REFRESH_SECONDS
                certificates = self._wechatpay_platform_certificates(max_age=max_age)
                if serial_number not in utils.certificate_serials(certificates):
                    return None
            client = utils.build_client(provider, certificates)
        try:
            data = client.callback(headers, body)
        except Exception:  # noqa: BLE001 pylint: disable=broad-exception-caught
            # the SDK raises bare Exceptions for unknown algorithms and bad JSON
            return None
        if not isinstance(data, dict) or not isinstance(data.get("resource"), dict):
            return None
        return data
