"""The glue to the wechatpayv3 SDK: keys, platform certificates and the
client of a provider, on its gateway. Public SDK APIs only, but for the one
access ``set_gateway`` explains."""

import json
import os
import tempfile
import time

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.utils import aes_decrypt, build_authorization, load_certificate, load_private_key

from . import const

# (connect, read) seconds: a shopper waits on the checkout call
TIMEOUT = (5, 15)
CERTIFICATES_PATH = "/v3/certificates"


def private_key_pem(key):
    """The merchant key ``key`` as PEM bytes: pasted without its armour, as the
    SDK accepts it, it gets one."""
    key = key.strip()
    if not key.startswith("-----"):
        key = f"-----BEGIN PRIVATE KEY-----\n{key}\n-----END PRIVATE KEY-----"
    return key.encode()


def new_rsa_key():
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


def certificate_valid(certificate):
    now = time.time()
    return (
        certificate.not_valid_before_utc.timestamp()
        <= now
        <= certificate.not_valid_after_utc.timestamp()
    )


def certificate_serials(certificates):
    """The serial numbers of ``certificates``, as numbers: WeChat Pay writes
    them in hex, with the leading zeros that Python's formatting drops."""
    return {certificate.serial_number for certificate in certificates}


def parse_serial(serial):
    """The number a ``Wechatpay-Serial`` header writes in hex, or None."""
    if not serial or len(serial) > 64:
        return None
    try:
        return int(serial, 16)
    except ValueError:
        return None


def gateway_url(provider_sudo):
    return (provider_sudo.wechatpay_gateway_url or const.API_BASE).rstrip("/")


def download_certificates(provider_sudo):
    """The platform certificates WeChat Pay lists for the merchant, decrypted
    with the APIv3 key (AES-256-GCM: a tampered one does not decrypt), the
    valid ones only. Network errors raise requests' exceptions; an answer
    other than 200 gives none, as in the SDK."""
    authorization = build_authorization(
        CERTIFICATES_PATH,
        "GET",
        provider_sudo.wechatpay_mch_id,
        provider_sudo.wechatpay_serial_no,
        load_private_key(provider_sudo.wechatpay_private_key),
    )
    response = requests.get(
        gateway_url(provider_sudo) + CERTIFICATES_PATH,
        headers={"Accept": "application/json", "Authorization": authorization},
        timeout=TIMEOUT,
    )
    if response.status_code != 200:
        return []
    certificates = []
    for item in json.loads(response.text).get("data") or []:
        encrypted = item.get("encrypt_certificate") or {}
        if encrypted.get("algorithm") != "AEAD_AES_256_GCM":
            continue
        certificate = load_certificate(
            aes_decrypt(
                nonce=encrypted.get("nonce"),
                ciphertext=encrypted.get("ciphertext"),
                associated_data=encrypted.get("associated_data") or "",
                apiv3_key=provider_sudo.wechatpay_apiv3_key,
            )
        )
        if certificate and certificate_valid(certificate):
            certificates.append(certificate)
    return certificates


def build_client(provider_sudo, certificates=()):
    """The SDK client of the provider, on its gateway.

    With WeChat Pay's public key, answers and notifications are checked with
    it; otherwise with ``certificates`` (the platform certificates), given to
    the SDK through its ``cert_dir``, so that it does not download them from
    WeChat Pay's own address when it is built.
    """
    with tempfile.TemporaryDirectory(prefix="wechatpay-") as cert_dir:
        for certificate in certificates:
            name = f"{format(certificate.serial_number, 'X')}.pem"
            with open(os.path.join(cert_dir, name), "wb") as pem:
                pem.write(certificate.public_bytes(serialization.Encoding.PEM))
        client = WeChatPay(
            wechatpay_type=WeChatPayType.NATIVE,  # only a default: every pay call names its own
            mchid=provider_sudo.wechatpay_mch_id,
            private_key=provider_sudo.wechatpay_private_key,
            cert_serial_no=provider_sudo.wechatpay_serial_no,
            appid=provider_sudo.wechatpay_app_id,
            apiv3_key=provider_sudo.wechatpay_apiv3_key,
            cert_dir=cert_dir if certificates else None,
            timeout=TIMEOUT,
            public_key=provider_sudo.wechatpay_public_key or None,
            public_key_id=provider_sudo.wechatpay_public_key_id or None,
        )
    set_gateway(client, gateway_url(provider_sudo))
    return client


def set_gateway(client, gateway):
    """Send the client's requests to ``gateway`` (a local simulator).

    wechatpayv3 has no public way to: its core writes WeChat Pay's address in
    ``_gate_way`` and its ``proxy`` only tunnels HTTPS to that same host. This
    is the one private access to the SDK; ``test_client_calls_its_gateway``
    fails if the SDK renames it, and so does this rather than call WeChat Pay.
    """
    if gateway == const.API_BASE:
        return
    core = client._core
    if not isinstance(getattr(core, "_gate_way", None), str):
        raise RuntimeError("wechatpayv3 changed: the client's gateway cannot be set")
    core._gate_way = gateway
