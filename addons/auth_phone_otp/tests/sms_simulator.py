"""A local stand-in for Aliyun SMS (dysmsapi 2017-05-25) and Tencent Cloud SMS
(2021-01-11), answering SendSms as the real services do, signatures included.

One HTTP server on 127.0.0.1 serves both; a request is Tencent's when it carries
X-TC-Action, Aliyun's when it carries x-acs-action (ACS3 signature, what
alibabacloud-tea-openapi 0.4 sends) or an Action query parameter.

    with SmsSimulator(limit_per_phone=3) as sim:
        provider = AliyunSmsProvider(sim.aliyun_key_id, sim.aliyun_key_secret,
                                     sim.aliyun_sign_name, sim.aliyun_template_code,
                                     endpoint=sim.url)
        provider.send_code("+8613812345678", "123456")
        assert sim.sent[-1]["code"] == "123456"
"""

import hashlib
import hmac
import http.client
import json
import random
import re
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

MAINLAND_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def _sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def _hmac_sha256(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def _rfc3986(text):
    return quote(text, safe="-_.~")


class SmsSimulator:
    """Configure the known credentials, signs and templates on the instance
    before sending; `sent` lists the accepted messages, `received` every request."""

    # Aliyun: RAM AccessKey pair, approved sign name and template (and its variables).
    aliyun_key_id = "LTAI5tSimulatorKey0001"
    aliyun_key_secret = "aliyun-simulator-secret"
    aliyun_sign_name = "分销商城"
    aliyun_template_code = "SMS_465300001"
    aliyun_template_vars = ("code",)
    # Tencent: API key pair, SMS application, approved sign and template ({1} only).
    tencent_secret_id = "AKIDsimulator0000000000000000000001"
    tencent_secret_key = "tencent-simulator-secret"
    tencent_sdk_app_id = "1400000001"
    tencent_sign_name = "分销商城"
    tencent_template_id = "2000001"
    tencent_template_params = 1
    tencent_regions = ("ap-guangzhou", "ap-beijing", "ap-nanjing")

    def __init__(self, limit_per_phone=None, delay=0.0):
        self.limit_per_phone = limit_per_phone  # messages per number and service
        self.delay = delay  # seconds to wait before answering (timeouts)
        self.sent = []
        self.received = []
        self._nonces = set()
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    # -- life cycle --------------------------------------------------------------------

    def start(self, port=0):
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True
        self._server.simulator = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def last_code(self, phone=None):
        """The code of the last accepted message (to `phone`, E.164 or national)."""
        for message in reversed(self.sent):
            if phone is None or phone in (message["phone"], "+86" + message["phone"]):
                return message["code"]
        return None

    def send_raw(self, method, path, headers, body):
        """Send a request as given (headers: list of pairs) and return (status, JSON)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                if name.lower() != "content-length":
                    conn.putheader(name, value)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"null")
        finally:
            conn.close()

    def _count(self, service, phone):
        return sum(1 for m in self.sent if m["service"] == service and m["phone"] == phone)

    def _over_limit(self, service, phone):
        return self.limit_per_phone is not None and (
            self._count(service, phone) >= self.limit_per_phone
        )

    # -- Aliyun ------------------------------------------------------------------------

    def aliyun(self, request):
        """(HTTP status, JSON body) for an Aliyun RPC request."""
        request_id = str(uuid.uuid4()).upper()
        try:
            self._aliyun_authenticate(request)
            answer = self._aliyun_send(request)
        except _Reject as e:
            return e.status, {"RequestId": request_id, "Code": e.code, "Message": e.message}
        return 200, dict(answer, RequestId=request_id)

    def _aliyun_authenticate(self, request):
        headers = request["headers"]
        not_standard = "The request signature does not conform to Aliyun standards."
        if "authorization" not in headers:
            # The legacy RPC signature (Signature=... HMAC-SHA1 in the query) is not
            # what the SDK sends any more, and is not simulated.
            raise _Reject(400, "IncompleteSignature", not_standard)
        if headers.get("x-acs-action") != "SendSms":
            raise _Reject(404, "InvalidAction.NotFound", "Specified api is not found.")
        if headers.get("x-acs-version") != "2017-05-25":
            raise _Reject(400, "InvalidVersion", "Specified parameter Version is not valid.")
        match = re.fullmatch(
            r"ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([a-z0-9;\-]+),"
            r"Signature=([0-9a-f]{64})",
            headers["authorization"],
        )
        if not match:
            raise _Reject(400, "IncompleteSignature", not_standard)
        key_id, signed_headers, signature = match.groups()
        if key_id != self.aliyun_key_id:
            raise _Reject(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        # host, content-type and every x-acs-* header must be signed.
        signed = signed_headers.split(";")
        required = {h for h in headers if h in ("host", "content-type") or h.startswith("x-acs-")}
        if signed != sorted(signed) or not required <= set(signed):
            raise _Reject(400, "IncompleteSignature", not_standard)
        try:
            then = datetime.strptime(headers.get("x-acs-date", ""), "%Y-%m-%dT%H:%M:%SZ")
        except ValueError as e:
            raise _Reject(400, "InvalidTimeStamp.Format", "Bad x-acs-date.") from e
        if abs(time.time() - then.replace(tzinfo=UTC).timestamp()) > 15 * 60:
            raise _Reject(400, "InvalidTimeStamp.Expired", "Specified time stamp is expired.")

        # ACS3: canonical request = method, URI, sorted RFC 3986 query, the signed
        # headers "name:value", their names, and the SHA-256 of the body as received.
        query = sorted(
            (_rfc3986(k), _rfc3986(v))
            for k, v in parse_qsl(request["query"], keep_blank_values=True)
        )
        canonical_request = "\n".join(
            [
                request["method"],
                quote(request["path"], safe="/-_.~"),
                "&".join(f"{k}={v}" for k, v in query),
                "".join(f"{h}:{headers.get(h, '')}\n" for h in signed),
                signed_headers,
                _sha256_hex(request["body"]),
            ]
        )
        string_to_sign = "ACS3-HMAC-SHA256\n" + _sha256_hex(canonical_request.encode())
        expected = hmac.new(
            self.aliyun_key_secret.encode(), string_to_sign.encode(), hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise _Reject(
                400,
                "SignatureDoesNotMatch",
                "Specified signature does not match our calculation. "
                f"server string to sign is:{string_to_sign}",
            )
        nonce = headers.get("x-acs-signature-nonce", "")
        if not nonce or nonce in self._nonces:
            raise _Reject(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        self._nonces.add(nonce)

    def _aliyun_send(self, request):
        params = dict(parse_qsl(request["query"], keep_blank_values=True))
        if request["headers"].get("content-type", "").startswith("application/x-www-form"):
            params.update(parse_qsl(request["body"].decode(), keep_blank_values=True))
        for name in ("PhoneNumbers", "SignName", "TemplateCode"):
            if not params.get(name):
                raise _Reject(400, f"Missing{name}", f"{name} is mandatory for this action.")
        # Business errors: HTTP 200, Code other than OK.
        if params["SignName"] != self.aliyun_sign_name:
            raise _Reject(200, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        if params["TemplateCode"] != self.aliyun_template_code:
            raise _Reject(200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        phones = params["PhoneNumbers"].split(",")  # national numbers, no +86
        if not all(MAINLAND_MOBILE_RE.match(p) for p in phones):
            raise _Reject(200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        try:
            values = json.loads(params.get("TemplateParam") or "{}")
        except ValueError:
            values = None
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise _Reject(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
        if not set(self.aliyun_template_vars) <= set(values):
            raise _Reject(200, "isv.TEMPLATE_MISSING_PARAMETERS", "模板变量缺少对应参数值")
        if any(self._over_limit("aliyun", p) for p in phones):
            permits = f"触发天级流控Permits:{self.limit_per_phone}"
            raise _Reject(200, "isv.BUSINESS_LIMIT_CONTROL", permits)
        biz_id = f"{random.randrange(10**17, 10**18)}^0"
        for phone in phones:
            self.sent.append(
                {
                    "service": "aliyun",
                    "phone": phone,
                    "code": values.get("code"),
                    "params": values,
                    "sign_name": params["SignName"],
                    "template": params["TemplateCode"],
                    "id": biz_id,
                }
            )
        return {"Code": "OK", "Message": "OK", "BizId": biz_id}

    # -- Tencent -----------------------------------------------------------------------

    def tencent(self, request):
        """(HTTP status, JSON body) for a Tencent Cloud API 3.0 request: always 200."""
        request_id = str(uuid.uuid4())
        try:
            self._tencent_authenticate(request)
            answer = self._tencent_send(request)
        except _Reject as e:
            answer = {"Error": {"Code": e.code, "Message": e.message}}
        return 200, {"Response": dict(answer, RequestId=request_id)}

    def _tencent_authenticate(self, request):
        headers = request["headers"]
        if headers.get("x-tc-action") != "SendSms":
            raise _Reject(200, "InvalidAction", "接口不存在。")
        if headers.get("x-tc-version") != "2021-01-11":
            raise _Reject(200, "NoSuchVersion", "接口版本不存在。")
        match = re.fullmatch(
            r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/([a-z]+)/tc3_request, "
            r"SignedHeaders=([a-z0-9;\-]+), Signature=([0-9a-f]{64})",
            headers.get("authorization", ""),
        )
        invalid = "请求头部的 Authorization 不符合腾讯云标准。"
        if not match:
            raise _Reject(200, "AuthFailure.InvalidAuthorization", invalid)
        secret_id, date, service, signed_headers, signature = match.groups()
        timestamp = headers.get("x-tc-timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            raise _Reject(200, "AuthFailure.SignatureExpire", "签名过期。")
        if secret_id != self.tencent_secret_id:
            raise _Reject(200, "AuthFailure.SecretIdNotFound", "SecretId不存在，请输入正确的密钥。")
        signed = signed_headers.split(";")
        if not {"content-type", "host"} <= set(signed):
            raise _Reject(200, "AuthFailure.InvalidAuthorization", invalid)

        # TC3: canonical headers are "name:value" lower-cased; the credential scope is
        # date/service/tc3_request with the UTC date of X-TC-Timestamp; the key is
        # derived HMAC("TC3" + SecretKey, date) -> service -> "tc3_request".
        utc_date = datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d")
        canonical_request = "\n".join(
            [
                request["method"],
                request["path"],
                request["query"] if request["method"] == "GET" else "",
                "".join(f"{h}:{headers.get(h, '').lower()}\n" for h in signed),
                signed_headers,
                _sha256_hex(request["body"]),
            ]
        )
        string_to_sign = "\n".join(
            [
                "TC3-HMAC-SHA256",
                timestamp,
                f"{utc_date}/sms/tc3_request",
                _sha256_hex(canonical_request.encode()),
            ]
        )
        key = _hmac_sha256(("TC3" + self.tencent_secret_key).encode(), utc_date)
        key = _hmac_sha256(_hmac_sha256(key, "sms"), "tc3_request")
        expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        if (date, service) != (utc_date, "sms") or not hmac.compare_digest(expected, signature):
            raise _Reject(
                200,
                "AuthFailure.SignatureFailure",
                "请求签名验证失败，请检查您的签名计算是否正确。",
            )
        if headers.get("x-tc-region") not in self.tencent_regions:
            raise _Reject(200, "UnsupportedRegion", "接口不支持所传地域。")

    def _tencent_send(self, request):
        try:
            params = json.loads(request["body"] or b"{}")
        except ValueError:
            params = None
        if not isinstance(params, dict):
            raise _Reject(200, "InvalidParameter", "请求体不是合法的 JSON。")
        for name in ("PhoneNumberSet", "SmsSdkAppId", "TemplateId"):
            if not params.get(name):
                raise _Reject(200, "MissingParameter", f"缺少参数 {name}。")
        if params["SmsSdkAppId"] != self.tencent_sdk_app_id:
            raise _Reject(200, "InvalidParameterValue.SdkAppIdNotExist", "SdkAppId不存在。")
        if params.get("SignName") != self.tencent_sign_name:
            raise _Reject(
                200, "FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误。"
            )
        if params["TemplateId"] != self.tencent_template_id:
            raise _Reject(
                200, "FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配。"
            )
        values = params.get("TemplateParamSet") or []
        if len(values) != self.tencent_template_params:
            raise _Reject(
                200,
                "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
                "请求内容与审核通过的模板内容不匹配。",
            )
        # Per-number outcome: the request succeeds, each number has its own Code.
        statuses = []
        for number in params["PhoneNumberSet"]:
            # Mainland numbers are accepted as +86... or bare, answered as +86...
            national = number[3:] if number.startswith("+86") else number
            status = {
                "SerialNo": "",
                "PhoneNumber": number,
                "Fee": 0,
                "SessionContext": "",
                "IsoCode": "CN",
            }
            if not MAINLAND_MOBILE_RE.match(national):
                status.update(
                    Code="InvalidParameterValue.IncorrectPhoneNumber",
                    Message="手机号格式错误",
                    IsoCode="",
                )
            elif self._over_limit("tencent", "+86" + national):
                status.update(
                    Code="LimitExceeded.PhoneNumberDailyLimit",
                    Message="单个手机号日下发短信条数超过设定的上限",
                )
            else:
                serial = f"2433:{random.randrange(10**29, 10**30)}"
                status.update(
                    SerialNo=serial,
                    PhoneNumber="+86" + national,
                    Fee=1,
                    Code="Ok",
                    Message="send success",
                )
                self.sent.append(
                    {
                        "service": "tencent",
                        "phone": "+86" + national,
                        "code": values[0],
                        "params": values,
                        "sign_name": params["SignName"],
                        "template": params["TemplateId"],
                        "id": serial,
                    }
                )
            statuses.append(status)
        return {"SendStatusSet": statuses}


class _Reject(Exception):
    def __init__(self, status, code, message):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def _joined_headers(items):
    headers = {}
    for name, value in items:
        headers.setdefault(name.lower(), []).append(value.strip())
    return {name: ",".join(sorted(values)) for name, values in headers.items()}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet
        pass

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def _handle(self):
        simulator = self.server.simulator
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request = {
            "method": self.command,
            "path": url.path or "/",
            "query": url.query,
            # Lower-cased names; a repeated header's values joined by ',' (sorted, as
            # ACS3 wants; Tencent's SDK never repeats one).
            "headers": _joined_headers(self.headers.items()),
            "raw_headers": list(self.headers.items()),
            "body": body,
        }
        if simulator.delay:
            time.sleep(simulator.delay)
        with simulator._lock:
            simulator.received.append(request)
            if "x-tc-action" in request["headers"]:
                status, payload = simulator.tencent(request)
                content_type = "application/json"  # the SDK compares it exactly
            else:
                status, payload = simulator.aliyun(request)
                content_type = "application/json;charset=utf-8"
        data = json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (timeout tests)
