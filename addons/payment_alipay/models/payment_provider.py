import logging

from alipay.exceptions import AliPayException, AliPayValidationError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import const, utils

_logger = logging.getLogger(__name__)

# where scripts/alipay_simulator serves the demo's Alipay
DEMO_GATEWAY_URL = "http://127.0.0.1:8197/gateway.do"


class AlipayRefused(ValidationError):
    """Alipay answered, and said no: ``sub_code`` is its reason
    (ACQ.TRADE_NOT_EXIST, ACQ.TRADE_STATUS_ERROR, ...)."""

    def __init__(self, message, sub_code):
        super().__init__(message)
        self.sub_code = sub_code


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("alipay", "Alipay")], ondelete={"alipay": "set default"}
    )
    alipay_app_id = fields.Char(
        string="Alipay APPID", required_if_provider="alipay", groups="base.group_system"
    )
    alipay_app_private_key = fields.Text(
        string="App Private Key",
        required_if_provider="alipay",
        groups="base.group_system",
        help="The application's RSA2 private key (PEM), made with Alipay's key tool.",
    )
    alipay_public_key = fields.Text(
        required_if_provider="alipay",
        groups="base.group_system",
        help="Alipay's public key (PEM) from the open platform, for verifying its answers "
        "and notifications.",
    )
    alipay_payment_minutes = fields.Integer(
        string="Minutes to Pay",
        default=30,
        help="An unpaid Alipay trade is closed after this, and its transaction cancelled.",
    )
    alipay_gateway_url = fields.Char(
        string="Gateway URL",
        groups="base.group_system",
        help="Leave empty for Alipay (its sandbox in test mode). A local simulator's URL for "
        "tests and demos.",
    )

    def _compute_feature_support_fields(self):  # pylint: disable=missing-return
        super()._compute_feature_support_fields()
        self.filtered(lambda p: p.code == "alipay").support_refund = "partial"

    def _get_supported_currencies(self):
        supported = super()._get_supported_currencies()
        if self.code == "alipay":
            supported = supported.filtered(lambda c: c.name in const.SUPPORTED_CURRENCIES)
        return supported

    def _get_default_payment_method_codes(self):
        codes = super()._get_default_payment_method_codes()
        if self.code != "alipay":
            return codes
        return const.DEFAULT_PAYMENT_METHOD_CODES

    def _get_minutes_to_pay(self):
        if self.code != "alipay":
            return super()._get_minutes_to_pay()
        return max(1, self.alipay_payment_minutes)

    @api.constrains("alipay_app_private_key", "alipay_public_key")
    def _check_alipay_keys(self):
        for provider in self.filtered(lambda p: p.code == "alipay" and p.alipay_public_key):
            try:
                provider._alipay_client()
            except (ValueError, IndexError, TypeError) as error:
                raise ValidationError(
                    self.env._("Alipay: a key is not a valid RSA key in PEM format.")
                ) from error

    @api.model
    def _alipay_demo_setup(self, gateway_url=DEMO_GATEWAY_URL):
        """Demo data: Alipay in test mode against the local simulator
        (``scripts/alipay_simulator``), published on the shop. The keys made
        here only make the provider valid: the simulator writes its own when
        it starts."""
        keys = []
        for __ in range(2):
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            keys.append(key)
        self.env.ref("payment_alipay.payment_provider_alipay").write(
            {
                "alipay_app_id": "2021000000000000",
                "alipay_app_private_key": keys[0]
                .private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.TraditionalOpenSSL,
                    serialization.NoEncryption(),
                )
                .decode(),
                "alipay_public_key": keys[1]
                .public_key()
                .public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
                .decode(),
                "alipay_gateway_url": gateway_url,
                "state": "test",
                "is_published": True,
            }
        )

    def _alipay_client(self):
        """The SDK client of this provider, on its gateway (``utils``)."""
        self.ensure_one()
        return utils.build_client(self.sudo())

    def _alipay_verify(self, params):
        """Whether ``params`` (a notification or a return) carry Alipay's RSA2
        signature: all fields but sign and sign_type, sorted."""
        params = dict(params)
        signature = params.pop("sign", None)
        params.pop("sign_type", None)
        if not signature or not isinstance(signature, str):
            return False
        try:
            return self._alipay_client().verify(params, signature)
        except (AliPayException, ValueError, TypeError):
            return False

    def _alipay_call(self, method, **kwargs):
        """One server API call (query, refund, close): the verified answer, or
        ValidationError with Alipay's sub-code; network errors and 5xx too."""
        client = self._alipay_client()
        try:
            answer = getattr(client, method)(**kwargs)
        except AliPayValidationError as error:
            raise ValidationError(
                self.env._("Alipay: The answer's signature is not Alipay's.")
            ) from error
        except utils.AlipayAnswerError as error:
            raise ValidationError(
                self.env._("Alipay: Refused (%(code)s).", code=error.code)
            ) from error
        except OSError as error:  # requests: unreachable, timeout, HTTP 5xx
            _logger.warning("Alipay %s failed: %s", method, error)
            raise ValidationError(
                self.env._("Alipay: The gateway did not answer; try again later.")
            ) from error
        if answer.get("code") != const.API_SUCCESS:
            raise AlipayRefused(
                self.env._(
                    "Alipay: Refused (%(code)s %(message)s).",
                    code=answer.get("sub_code") or answer.get("code"),
                    message=answer.get("sub_msg") or answer.get("msg") or "",
                ),
                answer.get("sub_code") or answer.get("code"),
            )
        return answer
