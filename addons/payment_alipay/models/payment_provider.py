import logging

from alipay.exceptions import AliPayException, AliPayValidationError
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from OpenSSL.crypto import Error as OpenSSLError

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
    alipay_key_mode = fields.Selection(
        string="Key Mode",
        selection=[("public_key", "Public Key"), ("certificate", "Public Key Certificate")],
        default="public_key",
        required=True,
        help="How the app signs with Alipay, as set on Alipay's open platform (接口加签方式): "
        "public key (公钥) or public key certificate (公钥证书). Transfers to Alipay accounts "
        "need the certificate mode.",
    )
    alipay_public_key = fields.Text(
        groups="base.group_system",
        help="Alipay's public key (PEM) from the open platform, for verifying its answers "
        "and notifications (public key mode).",
    )
    alipay_app_cert = fields.Text(
        string="App Public Certificate",
        groups="base.group_system",
        help="The app's public key certificate (appCertPublicKey_<APPID>.crt, PEM) that the "
        "open platform issued for the app's key (certificate mode).",
    )
    alipay_public_cert = fields.Text(
        string="Alipay Public Certificate",
        groups="base.group_system",
        help="Alipay's public key certificate (alipayCertPublicKey_RSA2.crt, PEM): its key "
        "verifies Alipay's answers and notifications (certificate mode).",
    )
    alipay_root_cert = fields.Text(
        string="Alipay Root Certificate",
        groups="base.group_system",
        help="Alipay's root certificate chain (alipayRootCert.crt, PEM, all its certificates) "
        "(certificate mode).",
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

    @api.constrains(
        "state",
        "alipay_key_mode",
        "alipay_app_private_key",
        "alipay_public_key",
        "alipay_app_cert",
        "alipay_public_cert",
        "alipay_root_cert",
    )
    def _check_alipay_keys(self):
        for provider in self.filtered(lambda p: p.code == "alipay").sudo():
            certificate_mode = provider.alipay_key_mode == "certificate"
            if provider.state != "disabled":
                needed = (
                    ("alipay_app_cert", "alipay_public_cert", "alipay_root_cert")
                    if certificate_mode
                    else ("alipay_public_key",)
                )
                missing = [name for name in needed if not provider[name]]
                if missing:
                    raise ValidationError(
                        self.env._(
                            "Alipay: %(fields)s must be set in this key mode.",
                            fields=", ".join(
                                provider._fields[name]._description_string(self.env)
                                for name in missing
                            ),
                        )
                    )
            if certificate_mode and (
                provider.alipay_app_cert or provider.alipay_public_cert or provider.alipay_root_cert
            ):
                provider._alipay_check_certificates()
            if not (
                provider.alipay_public_key if not certificate_mode else provider.alipay_public_cert
            ):
                continue
            try:
                provider._alipay_client()
            except (ValueError, IndexError, TypeError, OpenSSLError) as error:
                raise ValidationError(
                    self.env._("Alipay: a key is not a valid RSA key in PEM format.")
                ) from error

    def _alipay_check_certificates(self):
        """Each certificate set parses: a clear error naming the one that does
        not, or the app certificate that is not the app key's."""
        self.ensure_one()

        def load(name):
            blocks = utils.certificate_blocks(self[name])
            try:
                if not blocks:
                    raise ValueError(name)
                return [x509.load_pem_x509_certificate(block.encode()) for block in blocks]
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "Alipay: the %(field)s is not a certificate in PEM format "
                        "(-----BEGIN CERTIFICATE----- ...).",
                        field=self._fields[name]._description_string(self.env),
                    )
                ) from error

        if self.alipay_app_cert:
            app_cert = load("alipay_app_cert")[0]
            try:
                private_key = serialization.load_pem_private_key(
                    self.alipay_app_private_key.encode(), None
                )
            except (ValueError, TypeError, AttributeError):
                private_key = None  # told below, by the client
            if private_key and (
                not isinstance(app_cert.public_key(), rsa.RSAPublicKey)
                or app_cert.public_key().public_numbers()
                != private_key.public_key().public_numbers()
            ):
                raise ValidationError(
                    self.env._(
                        "Alipay: the App Public Certificate is not the certificate of the app "
                        "private key."
                    )
                )
        if self.alipay_public_cert:
            alipay_cert = load("alipay_public_cert")[0]
            if not isinstance(alipay_cert.public_key(), rsa.RSAPublicKey):
                raise ValidationError(
                    self.env._("Alipay: the Alipay Public Certificate has no RSA key.")
                )
        if self.alipay_root_cert:
            chain = load("alipay_root_cert")
            if not any(
                isinstance(cert.signature_algorithm_parameters, padding.PKCS1v15) for cert in chain
            ):
                raise ValidationError(
                    self.env._(
                        "Alipay: the Alipay Root Certificate holds no RSA certificate; paste "
                        "the whole alipayRootCert.crt."
                    )
                )

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
        except utils.AlipayCertificateChanged as error:
            raise ValidationError(
                self.env._(
                    "Alipay: The answer is signed with Alipay's public certificate %(sn)s, "
                    "not the provider's: download Alipay's new public certificate from the "
                    "open platform.",
                    sn=error.cert_sn[:64],
                )
            ) from error
        except AliPayValidationError as error:
            raise ValidationError(
                self.env._("Alipay: The answer's signature is not Alipay's.")
            ) from error
        except utils.AlipayAnswerError as error:
            raise ValidationError(
                self.env._(
                    "Alipay: Refused (%(code)s %(message)s).",
                    code=" ".join(filter(None, (error.code, error.sub_code))),
                    message=error.sub_msg or "",
                )
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
