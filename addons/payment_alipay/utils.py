"""The glue to python-alipay-sdk: the client of a provider, on its gateway,
and the verification of Alipay's signed answers. Public SDK APIs only."""

import base64
import binascii
import json
import re

import requests
from alipay import AliPay, DCAliPay
from alipay.exceptions import AliPayException, AliPayValidationError
from alipay.utils import AliPayConfig
from Cryptodome.Hash import SHA256
from Cryptodome.Signature import PKCS1_v1_5

from . import const

# (connect, read) seconds: a shopper waits on the return page's query
TIMEOUT = (5, 15)


# one PEM certificate of a chain (Alipay's root certificate file holds several)
PEM_CERTIFICATE = re.compile(
    r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----"
)


class AlipayAnswerError(AliPayException):
    """An answer Alipay did not sign (an error before the API): ``code`` is
    its code, ``sub_code`` and ``sub_msg`` its reason. The SDK's own
    exception keeps the code private."""

    def __init__(self, code, message, sub_code="", sub_msg=""):
        super().__init__(code, message)
        self.code = code
        self.sub_code = sub_code
        self.sub_msg = sub_msg


class AlipayCertificateChanged(AliPayValidationError):
    """Alipay signed an answer with a public certificate (``alipay_cert_sn``)
    that is not the provider's: Alipay renewed its certificate."""

    def __init__(self, cert_sn):
        super().__init__()
        self.cert_sn = cert_sn


class _GatewayMixin:
    """python-alipay-sdk's client on a chosen gateway.

    The SDK picks its gateway from ``debug`` alone; every server API call
    (``api_alipay_trade_query``, ``..._refund``, ``..._close``,
    ``server_api``) goes through its public
    ``verified_sync_response(data, response_type)``, overridden here to send
    the signed request to ``gateway_url``.
    """

    # the SN of the Alipay public certificate whose key verifies the answers
    # (certificate mode only)
    alipay_cert_sn = None

    def __init__(self, gateway_url, **kwargs):
        super().__init__(**kwargs)
        self.gateway_url = gateway_url

    def verified_sync_response(self, data, response_type):
        """Send the signed request ``data`` and return the verified
        ``response_type`` part of the answer. Network errors and HTTP errors
        raise requests' exceptions (OSErrors)."""
        url = f"{self.gateway_url}?{self.sign_data(data)}"
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        return read_sync_response(
            response.text, response_type, self.alipay_public_key, self.alipay_cert_sn
        )


class GatewayAliPay(_GatewayMixin, AliPay):
    """Public key mode (公钥模式): Alipay's public key verifies its answers."""

    def __init__(self, gateway_url, **kwargs):
        super().__init__(gateway_url, config=AliPayConfig(timeout=TIMEOUT[1]), **kwargs)


class GatewayDCAliPay(_GatewayMixin, DCAliPay):
    """Certificate mode (公钥证书模式): every request carries ``app_cert_sn``
    and ``alipay_root_cert_sn`` (the SDK's ``build_body``); the answers are
    verified with the key of Alipay's public certificate, whose SN they name
    in ``alipay_cert_sn``."""

    def __init__(self, gateway_url, **kwargs):
        super().__init__(gateway_url, **kwargs)
        self.alipay_cert_sn = DCAliPay.get_cert_sn(kwargs["alipay_public_key_cert_string"])


def certificate_blocks(text):
    """The PEM certificates in ``text``, in their order (pasted text may have
    Windows line ends or no blank line between them)."""
    return PEM_CERTIFICATE.findall((text or "").replace("\r", ""))


def certificate_chain(text):
    """``text`` as the SDK reads a chain: one certificate after another,
    separated by a blank line (``DCAliPay.read_pem_cert_chain``)."""
    return "\n\n".join(certificate_blocks(text)) + "\n"


def gateway_url(provider_sudo):
    """Where the provider's requests go: its own URL (a simulator), else Alipay's."""
    if provider_sudo.alipay_gateway_url:
        return provider_sudo.alipay_gateway_url
    return const.GATEWAY_URLS["test" if provider_sudo.state == "test" else "enabled"]


def build_client(provider_sudo):
    """The SDK client of the provider, signing with its key (RSA2): ``AliPay``
    in public key mode, ``DCAliPay`` in certificate mode."""
    if provider_sudo.alipay_key_mode == "certificate":
        return GatewayDCAliPay(
            gateway_url(provider_sudo),
            appid=provider_sudo.alipay_app_id,
            app_private_key_string=provider_sudo.alipay_app_private_key,
            app_public_key_cert_string=certificate_chain(provider_sudo.alipay_app_cert),
            alipay_public_key_cert_string=certificate_chain(provider_sudo.alipay_public_cert),
            alipay_root_cert_string=certificate_chain(provider_sudo.alipay_root_cert),
            sign_type="RSA2",
        )
    return GatewayAliPay(
        gateway_url(provider_sudo),
        appid=provider_sudo.alipay_app_id,
        app_private_key_string=provider_sudo.alipay_app_private_key,
        alipay_public_key_string=provider_sudo.alipay_public_key,
        sign_type="RSA2",
    )


def signed_content(raw, response_type):
    """The JSON object of ``response_type`` in the answer ``raw``, verbatim:
    what Alipay signed (https://opendocs.alipay.com/common/02mse7)."""
    start = raw.find("{", raw.find(response_type))
    depth = 0
    for index in range(start, len(raw)):
        if raw[index] == "{":
            depth += 1
        elif raw[index] == "}":
            depth -= 1
            if depth == 0:
                return raw[start : index + 1]
    return raw[start:]


def verify_rsa2(content, signature, public_key):
    """Whether ``signature`` (base64) is Alipay's RSA2 over ``content``;
    ``public_key`` is the SDK's loaded key (``client.alipay_public_key``)."""
    try:
        raw_signature = base64.b64decode(signature)
    except (binascii.Error, ValueError):
        return False
    return PKCS1_v1_5.new(public_key).verify(SHA256.new(content.encode()), raw_signature)


def read_sync_response(raw, response_type, public_key, alipay_cert_sn=None):
    """The answer of a server API call, as a dict, once its signature is
    verified: AlipayAnswerError for an unsigned error answer,
    AliPayValidationError for a signature that is not Alipay's. In
    certificate mode (``alipay_cert_sn``, the SN of the provider's Alipay
    public certificate), AlipayCertificateChanged for an answer Alipay signed
    with another certificate."""
    response = json.loads(raw)
    if "sign" not in response or "error_response" in response:
        result = response.get(response_type) or response.get("error_response") or {}
        raise AlipayAnswerError(
            result.get("code", "0"), raw, result.get("sub_code", ""), result.get("sub_msg", "")
        )
    answer_cert_sn = response.get("alipay_cert_sn")
    if alipay_cert_sn and answer_cert_sn and answer_cert_sn != alipay_cert_sn:
        raise AlipayCertificateChanged(answer_cert_sn)
    content = signed_content(raw, response_type)
    if not verify_rsa2(content, response["sign"], public_key):
        raise AliPayValidationError
    return json.loads(content)
