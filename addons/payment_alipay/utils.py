"""The glue to python-alipay-sdk: the client of a provider, on its gateway,
and the verification of Alipay's signed answers. Public SDK APIs only."""

import base64
import binascii
import json

import requests
from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError
from alipay.utils import AliPayConfig
from Cryptodome.Hash import SHA256
from Cryptodome.Signature import PKCS1_v1_5

from . import const

# (connect, read) seconds: a shopper waits on the return page's query
TIMEOUT = (5, 15)


class AlipayAnswerError(AliPayException):
    """An answer Alipay did not sign (an error before the API): ``code`` is
    its code. The SDK's own exception keeps the code private."""

    def __init__(self, code, message):
        super().__init__(code, message)
        self.code = code


class GatewayAliPay(AliPay):
    """python-alipay-sdk's client on a chosen gateway.

    The SDK picks its gateway from ``debug`` alone; every server API call
    (``api_alipay_trade_query``, ``..._refund``, ``..._close``) goes through
    its public ``verified_sync_response(data, response_type)``, overridden
    here to send the signed request to ``gateway_url``.
    """

    def __init__(self, gateway_url, **kwargs):
        super().__init__(config=AliPayConfig(timeout=TIMEOUT[1]), **kwargs)
        self.gateway_url = gateway_url

    def verified_sync_response(self, data, response_type):
        """Send the signed request ``data`` and return the verified
        ``response_type`` part of the answer. Network errors and HTTP errors
        raise requests' exceptions (OSErrors)."""
        url = f"{self.gateway_url}?{self.sign_data(data)}"
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        return read_sync_response(response.text, response_type, self.alipay_public_key)


def gateway_url(provider_sudo):
    """Where the provider's requests go: its own URL (a simulator), else Alipay's."""
    if provider_sudo.alipay_gateway_url:
        return provider_sudo.alipay_gateway_url
    return const.GATEWAY_URLS["test" if provider_sudo.state == "test" else "enabled"]


def build_client(provider_sudo):
    """The SDK client of the provider, signing with its key (RSA2)."""
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


def read_sync_response(raw, response_type, public_key):
    """The answer of a server API call, as a dict, once its signature is
    verified: AlipayAnswerError for an unsigned error answer,
    AliPayValidationError for a signature that is not Alipay's."""
    response = json.loads(raw)
    if "sign" not in response or "error_response" in response:
        result = response.get(response_type) or response.get("error_response") or {}
        raise AlipayAnswerError(result.get("code", "0"), raw)
    content = signed_content(raw, response_type)
    if not verify_rsa2(content, response["sign"], public_key):
        raise AliPayValidationError
    return json.loads(content)
