"""SMS gateways that deliver a sign-in code: Aliyun SMS, Tencent Cloud SMS and a log.

Pure Python: no Odoo import, so that it can be tested without a database. The
SDKs are imported when a provider is built, so that a database which only uses
the log provider does not need them.
"""

import json
from urllib.parse import urlsplit

from ..utils import mask_phone

TIMEOUT_SECONDS = 10


class SmsError(Exception):
    """A message was not sent. `code` is the service's own error code
    ('isv.BUSINESS_LIMIT_CONTROL', 'AuthFailure.SignatureFailure', ...) or
    'NetworkError' / 'SdkError' when no answer of the service was had."""

    def __init__(self, code, message=""):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message


def _split_endpoint(endpoint, default_host):
    """'http://127.0.0.1:8069' -> ('http', '127.0.0.1:8069'); a bare host is HTTPS."""
    if not endpoint:
        return "https", default_host
    if "://" not in endpoint:
        return "https", endpoint.rstrip("/")
    parts = urlsplit(endpoint)
    return parts.scheme.lower(), parts.netloc


def _national_number(phone_e164):
    """'+8613812345678' -> '13812345678': Aliyun's mainland format. Anything else is
    passed on without its '+', and the service judges it."""
    if phone_e164.startswith("+86"):
        return phone_e164[3:]
    return phone_e164.lstrip("+")


class SmsProvider:
    """Sends one code to one number."""

    def send_code(self, phone_e164: str, code: str) -> str:
        """Send `code`; return the service's id of the message; raise SmsError."""
        raise NotImplementedError


class AliyunSmsProvider(SmsProvider):
    """Aliyun (Alibaba Cloud) SMS, API 2017-05-25, action SendSms.

    The SDK signs with ACS3-HMAC-SHA256 (an `Authorization` header over the
    canonical request); the parameters travel in the query string of a POST."""

    DEFAULT_ENDPOINT = "dysmsapi.aliyuncs.com"

    def __init__(
        self,
        access_key_id,
        access_key_secret,
        sign_name,
        template_code,
        endpoint=None,
        timeout=TIMEOUT_SECONDS,
    ):
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.sign_name = sign_name
        self.template_code = template_code
        self.protocol, self.host = _split_endpoint(endpoint, self.DEFAULT_ENDPOINT)
        self.timeout_ms = int(timeout * 1000)

    def _client(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.models import Config

        return Client(
            Config(
                access_key_id=self.access_key_id,
                access_key_secret=self.access_key_secret,
                protocol=self.protocol,
                endpoint=self.host,
                connect_timeout=self.timeout_ms,
                read_timeout=self.timeout_ms,
            )
        )

    def send_code(self, phone_e164, code):
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest
        from darabonba.runtime import RuntimeOptions
        from Tea.exceptions import TeaException

        request = SendSmsRequest(
            # Mainland numbers without +86; several would be comma-separated.
            phone_numbers=_national_number(phone_e164),
            sign_name=self.sign_name,
            template_code=self.template_code,
            # Values must be JSON strings: {"code":123456} is isv.INVALID_JSON_PARAM.
            template_param=json.dumps({"code": str(code)}, separators=(",", ":")),
        )
        runtime = RuntimeOptions(
            connect_timeout=self.timeout_ms, read_timeout=self.timeout_ms, autoretry=False
        )
        try:
            body = self._client().send_sms_with_options(request, runtime).body
        except TeaException as e:
            # HTTP 4xx/5xx (SignatureDoesNotMatch, InvalidAccessKeyId.NotFound, ...)
            # raise ClientException/ServerException whose `data` is the JSON body;
            # a network failure or a timeout comes wrapped, without a code.
            data = e.data if isinstance(e.data, dict) else {}
            if not e.code:
                raise SmsError("NetworkError", str(e.message)) from e
            raise SmsError(e.code, data.get("Message") or str(e.message)) from e
        except Exception as e:  # RetryError (I/O), bad answers: anything is a failure
            raise SmsError("NetworkError", str(e)) from e
        # Business errors come with HTTP 200 and a Code other than 'OK'.
        if body is None or body.code != "OK":
            raise SmsError(
                getattr(body, "code", None) or "SdkError", getattr(body, "message", "") or ""
            )
        return body.biz_id


class TencentSmsProvider(SmsProvider):
    """Tencent Cloud SMS, API 2021-01-11, action SendSms, signed TC3-HMAC-SHA256.

    Every answer is HTTP 200: a request-level failure is {"Response": {"Error":
    ...}} (raised by the SDK), a per-number one is a SendStatusSet entry whose
    Code is not 'Ok'."""

    DEFAULT_ENDPOINT = "sms.tencentcloudapi.com"

    def __init__(
        self,
        secret_id,
        secret_key,
        sdk_app_id,
        sign_name,
        template_id,
        region="ap-guangzhou",
        endpoint=None,
        timeout=TIMEOUT_SECONDS,
    ):
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.sdk_app_id = sdk_app_id
        self.sign_name = sign_name
        self.template_id = template_id
        self.region = region
        self.protocol, self.host = _split_endpoint(endpoint, self.DEFAULT_ENDPOINT)
        self.timeout = timeout

    def send_code(self, phone_e164, code):
        from tencentcloud.common.credential import Credential
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import models
        from tencentcloud.sms.v20210111.sms_client import SmsClient

        request = models.SendSmsRequest()
        request.PhoneNumberSet = [phone_e164]  # E.164: '+8613812345678'
        request.SmsSdkAppId = str(self.sdk_app_id)
        request.SignName = self.sign_name
        request.TemplateId = str(self.template_id)
        request.TemplateParamSet = [str(code)]  # the template's {1}
        try:
            http_profile = HttpProfile(
                protocol=self.protocol, endpoint=self.host, reqTimeout=self.timeout
            )
            client = SmsClient(
                Credential(self.secret_id, self.secret_key),
                self.region,
                ClientProfile(httpProfile=http_profile),
            )
            response = client.SendSms(request)
        except TencentCloudSDKException as e:
            code_ = e.code or "SdkError"
            if code_ == "ClientNetworkError":  # connection refused, timeout, ...
                code_ = "NetworkError"
            raise SmsError(code_, e.message or "") from e
        statuses = response.SendStatusSet or []
        if not statuses:
            raise SmsError("SdkError", "empty SendStatusSet")
        if statuses[0].Code != "Ok":
            raise SmsError(statuses[0].Code or "SdkError", statuses[0].Message or "")
        return statuses[0].SerialNo


class LogSmsProvider(SmsProvider):
    """Development: writes the code in clear to the log instead of sending it."""

    def __init__(self, logger):
        self.logger = logger

    def send_code(self, phone_e164, code):
        self.logger.info("SMS code for %s: %s", mask_phone(phone_e164, country_code=True), code)
        return "log"
