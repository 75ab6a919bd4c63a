"""A local simulator of WeChat Pay API v3 (微信支付 APIv3), for tests and demos.

Like WeChat Pay it checks, on every ``/v3/...`` call, the merchant's
``Authorization: WECHATPAY2-SHA256-RSA2048 mchid=..,nonce_str=..,signature=..,
timestamp=..,serial_no=..`` header: the merchant id, the merchant API
certificate serial number, a timestamp within 5 minutes and the SHA256withRSA
signature over ``METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n`` (the raw
body, empty for GET) with the merchant's public key; anything wrong answers
401 ``SIGN_ERROR``.

It signs what it sends with "WeChat Pay's" platform key, exactly as the
service does: every answer (errors and 204 included) and every notification
carries ``Wechatpay-Timestamp``, ``Wechatpay-Nonce``, ``Wechatpay-Serial``,
``Wechatpay-Signature-Type`` and ``Wechatpay-Signature`` = SHA256withRSA over
``TIMESTAMP\\nNONCE\\nBODY\\n``.  The platform key is identified either by a
WeChat Pay public key id (``mode="public_key"``, ``PUB_KEY_ID_...``) or by the
serial number of a platform certificate (``mode="certificate"``) that clients
download, AES-256-GCM encrypted with the APIv3 key, from ``/v3/certificates``.
Notifications are POSTed to ``notify_url`` with their resource encrypted
(AEAD_AES_256_GCM, APIv3 key, 12-character nonce, ``associated_data`` =
``original_type``), and the ``user_name`` of a transfer is decrypted with the
platform private key (RSA-OAEP, SHA-1), as the SDK encrypts it.

Covered: Native / JSAPI / H5 prepay, order query (by out_trade_no and by
transaction_id), close, domestic refunds and their query, the platform
certificate download, and the 2025 merchant transfer (商家转账) bills with
their query and cancel.  ``pay()``, ``finish_refund()`` and
``finish_transfer()`` stand for what the payer or WeChat does later, and
``/simulator/pay`` is a small cashier page (not part of WeChat's API) where a
demo visitor "pays" in the browser instead of scanning the QR code.
"""

import base64
import json
import re
import secrets
import string
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
CHINA = timezone(timedelta(hours=8))
ALPHANUMERIC = string.ascii_letters + string.digits
DEFAULT_OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"

TRADE_TYPES = {"native": "NATIVE", "jsapi": "JSAPI", "h5": "MWEB"}
TRADE_STATE_DESC = {
    "NOTPAY": "订单未支付",
    "SUCCESS": "支付成功",
    "REFUND": "转入退款",
    "CLOSED": "订单已关闭",
    "REVOKED": "已撤销",
    "USERPAYING": "用户支付中",
    "PAYERROR": "支付失败",
}
PAID_STATES = ("SUCCESS", "REFUND")
REFUND_EVENTS = {
    "SUCCESS": ("REFUND.SUCCESS", "退款成功"),
    "ABNORMAL": ("REFUND.ABNORMAL", "退款异常"),
    "CLOSED": ("REFUND.CLOSED", "退款关闭"),
}
TRANSFER_FINAL_STATES = ("SUCCESS", "FAIL", "CANCELLED")
FIELD_LABELS = {
    "appid": "应用ID",
    "mchid": "直连商户号",
    "description": "商品描述",
    "out_trade_no": "商户订单号",
    "notify_url": "通知地址",
    "amount": "订单金额",
    "amount/total": "总金额",
    "amount/refund": "退款金额",
    "amount/currency": "退款币种",
    "payer": "支付者",
    "payer/openid": "用户标识",
    "scene_info": "场景信息",
    "scene_info/payer_client_ip": "用户终端IP",
    "scene_info/h5_info": "H5场景信息",
    "scene_info/h5_info/type": "场景类型",
    "out_refund_no": "商户退款单号",
    "out_bill_no": "商户单号",
    "transfer_scene_id": "转账场景ID",
    "openid": "收款用户OpenID",
    "transfer_amount": "转账金额",
    "transfer_remark": "转账备注",
}
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)")


# -- helpers --------------------------------------------------------------------------------
def new_rsa_key():
    """(private PEM PKCS#8, public PEM SubjectPublicKeyInfo) of a fresh 2048-bit key.

    The private key is what ``apiclient_key.pem`` of a merchant API certificate looks like.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _private_pem(key), _public_pem(key)


def new_merchant_certificate_serial():
    """A merchant API certificate serial number: 40 uppercase hexadecimal digits."""
    return secrets.token_hex(20).upper()


def new_apiv3_key():
    """An APIv3 key as set in the merchant platform: 32 ASCII letters and digits."""
    return _random_string(32)


def _private_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _public_pem(key):
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _random_string(length, alphabet=ALPHANUMERIC):
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _digits(length):
    return _random_string(length, string.digits)


def _rfc3339(timestamp=None):
    """``2018-06-08T10:34:56+08:00``: how WeChat Pay writes times (Beijing time)."""
    moment = time.time() if timestamp is None else timestamp
    return datetime.fromtimestamp(moment, CHINA).isoformat(timespec="seconds")


def _dumps(data):
    """JSON as WeChat Pay writes it: compact, UTF-8 characters unescaped."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _yuan(fen):
    return f"{fen // 100}.{fen % 100:02d}"


class _ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _param_error(message):
    return _ApiError(400, "PARAM_ERROR", message)


def _field(body, name, location="body"):
    """The value of ``name`` (``a/b`` for nested fields), or 400 PARAM_ERROR when missing."""
    value = body
    for part in name.split("/"):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None or value == "":
        label = FIELD_LABELS.get(name, name)
        raise _param_error(
            f"输入源“/{location}/{name}”映射到字段“{label}”必填性规则校验失败，此字段为必填项"
        )
    return value


def _integer(body, name):
    value = _field(body, name)
    if isinstance(value, bool) or not isinstance(value, int):
        label = FIELD_LABELS.get(name, name)
        raise _param_error(
            f"输入源“/body/{name}”映射到值字段“{label}”类型校验失败，此字段类型必须为integer"
        )
    return value


def _string(body, name):
    value = _field(body, name)
    if not isinstance(value, str):
        label = FIELD_LABELS.get(name, name)
        raise _param_error(
            f"输入源“/body/{name}”映射到值字段“{label}”类型校验失败，此字段类型必须为string"
        )
    return value


# -- the simulator --------------------------------------------------------------------------
class WeChatPaySimulator:
    def __init__(
        self,
        mchid,
        appid,
        merchant_public_key,
        merchant_serial_no,
        apiv3_key,
        mode="public_key",
    ):
        if mode not in ("public_key", "certificate"):
            raise ValueError(f"unknown mode {mode!r}: 'public_key' or 'certificate'")
        self.mchid = mchid
        self.appid = appid
        if isinstance(merchant_public_key, str):
            merchant_public_key = merchant_public_key.encode()
        self.merchant_public_key = serialization.load_pem_public_key(merchant_public_key)
        self.merchant_serial_no = merchant_serial_no
        self.apiv3_key = apiv3_key
        self.mode = mode
        self.orders = {}  # out_trade_no -> order
        self.refunds = {}  # out_refund_no -> refund
        self.transfers = {}  # out_bill_no -> transfer bill
        self.received = []  # (method, path with query, body text) of every request
        self.notifications = []  # {url, headers, body, status, text}
        self.fail_next = 0  # answer the next N /v3 API calls with HTTP 500 SYSTEM_ERROR
        self.reject_transfers_to = set()  # openids that transfers are refused to
        self.auto_pay_seconds = None  # pay each new order this long after it opens
        self.answer_delay = 0  # seconds before answering each /v3 call
        self._lock = threading.RLock()
        self._server = None
        self.public_key_id = None
        self.platform_certificate = None
        self.platform_certificate_pem = None
        self.platform_serial = None
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if mode == "public_key":
            self.public_key_id = "PUB_KEY_ID_0" + secrets.token_hex(15).upper()
            self._set_platform_key(key)
        else:
            now = datetime.now(UTC)
            self._set_platform_key(key, now - timedelta(days=1), now + timedelta(days=365))

    # -- life cycle -----------------------------------------------------------------------
    def start(self, port=0):
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True
        self._server.simulator = self
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- platform key, certificate and signatures -----------------------------------------
    def _set_platform_key(self, key, not_before=None, not_after=None):
        """Sign with ``key`` from now on (and wrap it in a certificate in certificate mode)."""
        with self._lock:
            self._platform_key = key
            self.platform_public_key = _public_pem(key)
            if self.mode != "certificate":
                return
            # 40 hex digits, as WeChat Pay's serial numbers, and below 2**159 as X.509 wants
            serial = (1 << 156) + secrets.randbelow((1 << 159) - (1 << 156))
            name = x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tenpay.com"),
                    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Tenpay.com CA Center"),
                    x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA"),
                ]
            )
            certificate = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(key.public_key())
                .serial_number(serial)
                .not_valid_before(not_before)
                .not_valid_after(not_after)
                .sign(key, hashes.SHA256())
            )
            self.platform_certificate = certificate
            self.platform_certificate_pem = certificate.public_bytes(
                serialization.Encoding.PEM
            ).decode()
            # what the SDK compares with int("0x" + Wechatpay-Serial, 16)
            self.platform_serial = format(certificate.serial_number, "X")

    def expire_certificate(self):
        """Certificate mode: from now on sign with a NEW key whose certificate has expired.

        ``/v3/certificates`` then only lists that expired certificate, so a client that
        downloads it drops it, and cannot verify answers nor notifications any more.
        """
        if self.mode != "certificate":
            raise ValueError("expire_certificate() only makes sense in certificate mode")
        now = datetime.now(UTC)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._set_platform_key(key, now - timedelta(days=400), now - timedelta(days=1))

    def renew_certificate(self):
        """Certificate mode: WeChat Pay's yearly renewal. From now on sign with a NEW key
        and a new valid certificate, whose serial clients have not seen yet."""
        if self.mode != "certificate":
            raise ValueError("renew_certificate() only makes sense in certificate mode")
        now = datetime.now(UTC)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._set_platform_key(key, now - timedelta(days=1), now + timedelta(days=365))

    @property
    def wechatpay_serial(self):
        """What ``Wechatpay-Serial`` says: the public key id or the certificate serial."""
        return self.public_key_id or self.platform_serial

    def sign(self, text):
        """base64 SHA256withRSA of ``text`` with the platform private key."""
        signature = self._platform_key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()

    def signed_headers(self, body, timestamp=None):
        """The ``Wechatpay-*`` headers WeChat Pay puts on an answer or a notification."""
        timestamp = str(int(time.time()) if timestamp is None else int(timestamp))
        nonce = _random_string(32)
        return {
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": self.sign(f"{timestamp}\n{nonce}\n{body}\n"),
            "Wechatpay-Timestamp": timestamp,
            "Wechatpay-Serial": self.wechatpay_serial,
            "Wechatpay-Signature-Type": SIGNATURE_TYPE,
        }

    def encrypt_resource(self, plaintext, associated_data):
        """(nonce, base64 ciphertext) of AEAD_AES_256_GCM with the APIv3 key."""
        nonce = _random_string(12)
        ciphertext = AESGCM(self.apiv3_key.encode()).encrypt(
            nonce.encode(), plaintext.encode(), associated_data.encode()
        )
        return nonce, base64.b64encode(ciphertext).decode()

    def _authenticate(self, method, path, headers, body):
        """Check the merchant's ``Authorization`` header, or raise 401 SIGN_ERROR."""
        error = _ApiError(401, "SIGN_ERROR", "签名错误")
        scheme, _, rest = (headers.get("Authorization") or "").partition(" ")
        if scheme != SIGNATURE_TYPE:
            raise error
        fields = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if fields.get("mchid") != self.mchid:
            raise error
        if fields.get("serial_no") != self.merchant_serial_no:
            raise error
        try:
            timestamp = int(fields.get("timestamp", ""))
            signature = base64.b64decode(fields.get("signature", ""), validate=True)
        except ValueError:
            raise error from None
        if abs(time.time() - timestamp) > 300 or not fields.get("nonce_str"):
            raise error
        message = f"{method}\n{path}\n{fields['timestamp']}\n{fields['nonce_str']}\n{body}\n"
        try:
            self.merchant_public_key.verify(
                signature, message.encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except Exception:  # noqa: BLE001 - any failure is a bad signature
            raise error from None

    # -- HTTP -----------------------------------------------------------------------------
    def handle_request(self, method, raw_path, headers, data):
        """(status, headers, body bytes) of one HTTP request."""
        text = data.decode("utf-8", errors="replace")
        path = urlsplit(raw_path).path
        with self._lock:
            self.received.append((method, raw_path, text))
        if path.startswith("/simulator/"):
            return self._cashier(method, raw_path, text)
        if not path.startswith("/v3/"):
            return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"Not Found"
        if self.answer_delay:  # a slow gateway: the client's timeout runs out first
            time.sleep(self.answer_delay)
        with self._lock:
            status, payload = self.handle_api(method, raw_path, text, headers)
            return self._signed_answer(status, payload)

    def _signed_answer(self, status, payload):
        body = "" if payload is None else _dumps(payload)
        headers = {"Request-ID": secrets.token_hex(20).upper() + "-0"}
        if payload is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        headers.update(self.signed_headers(body))
        return status, headers, body.encode()

    def handle_api(self, method, raw_path, text, headers):
        """(status, JSON payload or None) of one /v3 API call (tests may wrap it)."""
        if self.fail_next > 0:
            self.fail_next -= 1
            return 500, {"code": "SYSTEM_ERROR", "message": "系统错误"}
        try:
            self._authenticate(method, raw_path, headers, text)
            body = self._parse_body(text)
            split = urlsplit(raw_path)
            request = SimpleNamespace(
                method=method,
                headers=headers,
                body=body,
                query=dict(parse_qsl(split.query, keep_blank_values=True)),
            )
            for verb, pattern, name in _ROUTES:
                match = re.fullmatch(pattern, split.path)
                if match and verb == method:
                    arguments = [unquote(group) for group in match.groups()]
                    return getattr(self, name)(request, *arguments)
            raise _ApiError(404, "NOT_FOUND", "请求的资源不存在")
        except _ApiError as error:
            return error.status, {"code": error.code, "message": error.message}

    @staticmethod
    def _parse_body(text):
        if not text.strip():
            return {}
        try:
            body = json.loads(text)
        except ValueError:
            raise _param_error("请求体不是合法的JSON格式") from None
        if not isinstance(body, dict):
            raise _param_error("请求体必须是JSON对象")
        return body

    # -- orders ---------------------------------------------------------------------------
    def _trade_state(self, order):
        """The order's state, closing it when its ``time_expire`` has passed unpaid."""
        if (
            order["trade_state"] == "NOTPAY"
            and order["expire_at"] is not None
            and time.time() > order["expire_at"]
        ):
            order["trade_state"] = "CLOSED"
        return order["trade_state"]

    def transaction_resource(self, out_trade_no):
        """What the order query answers, and the resource of its notification."""
        with self._lock:
            return self._transaction(self.orders[out_trade_no])

    def _transaction(self, order):
        state = self._trade_state(order)
        paid = order["transaction_id"] is not None
        result = {
            "appid": order["appid"],
            "mchid": order["mchid"],
            "out_trade_no": order["out_trade_no"],
        }
        if paid:
            result["transaction_id"] = order["transaction_id"]
        result["trade_type"] = order["trade_type"]
        result["trade_state"] = state
        result["trade_state_desc"] = TRADE_STATE_DESC[state]
        if paid:
            result["bank_type"] = order["bank_type"]
        if order["attach"] is not None:
            result["attach"] = order["attach"]
        if paid:
            result["success_time"] = order["success_time"]
        result["payer"] = dict(order["payer"])
        total, currency = order["amount"]["total"], order["amount"]["currency"]
        amount = {"total": total}
        if paid:
            amount["payer_total"] = total
        amount["currency"] = currency
        amount["payer_currency"] = currency
        result["amount"] = amount
        return result

    def _prepay_answer(self, order):
        if order["trade_type"] == "NATIVE":
            return {"code_url": f"weixin://wxpay/bizpayurl?pr={order['code']}"}
        if order["trade_type"] == "JSAPI":
            return {"prepay_id": order["prepay_id"]}
        return {"h5_url": f"{self.base_url}/simulator/pay?code={order['prepay_id']}"}

    def _api_prepay(self, request, kind):
        trade_type = TRADE_TYPES[kind]
        order = self._order_from(request.body, trade_type)
        existing = self.orders.get(order["out_trade_no"])
        if existing:
            state = self._trade_state(existing)
            if state in PAID_STATES:
                raise _ApiError(400, "ORDERPAID", "该订单已支付")
            if state == "CLOSED":
                raise _ApiError(400, "ORDER_CLOSED", "订单已关闭")
            same = existing["amount"] == order["amount"] and existing["trade_type"] == trade_type
            if not same:
                raise _ApiError(400, "INVALID_REQUEST", "201 商户订单号重复")
            return 200, self._prepay_answer(existing)
        self.orders[order["out_trade_no"]] = order
        if self.auto_pay_seconds is not None:
            # the shopper's phone scans and pays a moment later (browser tours)
            timer = threading.Timer(self.auto_pay_seconds, self.pay, [order["out_trade_no"]])
            timer.daemon = True
            timer.start()
        return 200, self._prepay_answer(order)

    def _order_from(self, body, trade_type):
        """A new order from a prepay request body, or 400 for what WeChat Pay refuses."""
        appid, mchid = _string(body, "appid"), _string(body, "mchid")
        description = _string(body, "description")
        out_trade_no = _string(body, "out_trade_no")
        notify_url = _string(body, "notify_url")
        total = _integer(body, "amount/total")
        if mchid != self.mchid or appid != self.appid:
            raise _ApiError(400, "INVALID_REQUEST", "mchid与appid不匹配")
        if len(description) > 127:
            raise _param_error("商品描述长度不能超过127个字符")
        if not re.fullmatch(r"[0-9A-Za-z_\-|*@]{6,32}", out_trade_no):
            raise _param_error("商户订单号只能是6-32位数字、大小写字母_-|*@")
        if not notify_url.startswith(("http://", "https://")):
            raise _param_error("通知地址必须是URL格式")
        if total <= 0:
            raise _param_error("订单金额必须大于0")
        currency = body["amount"].get("currency") or "CNY"
        if currency != "CNY":
            raise _param_error("境内商户仅支持人民币CNY")
        time_expire, expire_at = body.get("time_expire"), None
        if time_expire:
            if not isinstance(time_expire, str) or not RFC3339.fullmatch(time_expire):
                raise _param_error("time_expire格式错误，须遵循rfc3339标准格式")
            expire_at = datetime.fromisoformat(time_expire.replace("Z", "+00:00")).timestamp()
        openid = None
        if trade_type == "JSAPI":
            openid = _string(body, "payer/openid")
        if trade_type == "MWEB":
            _string(body, "scene_info/payer_client_ip")
            _string(body, "scene_info/h5_info/type")
        return {
            "appid": appid,
            "mchid": mchid,
            "description": description,
            "out_trade_no": out_trade_no,
            "trade_type": trade_type,
            "amount": {"total": total, "currency": currency},
            "notify_url": notify_url,
            "time_expire": time_expire,
            "expire_at": expire_at,
            "attach": body.get("attach"),
            "scene_info": body.get("scene_info"),
            "trade_state": "NOTPAY",
            "transaction_id": None,
            "success_time": None,
            "bank_type": None,
            "payer": {"openid": openid} if openid else {},
            "prepay_id": "wx" + secrets.token_hex(16),
            "code": _random_string(9),
            "create_time": _rfc3339(),
        }

    def _order_for_query(self, request, order):
        mchid = request.query.get("mchid")
        if not mchid:
            raise _param_error(
                "输入源“/query/mchid”映射到字段“直连商户号”必填性规则校验失败，此字段为必填项"
            )
        if order is None or order["mchid"] != mchid:
            raise _ApiError(404, "ORDER_NOT_EXIST", "订单不存在")
        return 200, self._transaction(order)

    def _api_query_out_trade_no(self, request, out_trade_no):
        return self._order_for_query(request, self.orders.get(out_trade_no))

    def _api_query_transaction_id(self, request, transaction_id):
        order = next(
            (o for o in self.orders.values() if o["transaction_id"] == transaction_id), None
        )
        return self._order_for_query(request, order)

    def _api_close(self, request, out_trade_no):
        mchid = _string(request.body, "mchid")
        order = self.orders.get(out_trade_no)
        if order is None or order["mchid"] != mchid:
            raise _ApiError(404, "ORDER_NOT_EXIST", "订单不存在")
        if self._trade_state(order) in PAID_STATES:
            raise _ApiError(400, "ORDERPAID", "该订单已支付")
        order["trade_state"] = "CLOSED"
        return 204, None

    # -- refunds --------------------------------------------------------------------------
    def _refundable(self, out_trade_no):
        order = self.orders[out_trade_no]
        taken = sum(
            refund["amount"]["refund"]
            for refund in self.refunds.values()
            if refund["out_trade_no"] == out_trade_no
            and refund["status"] not in ("CLOSED", "ABNORMAL")
        )
        return order["amount"]["total"] - taken

    def _refund_object(self, refund):
        order = self.orders[refund["out_trade_no"]]
        total, amount = order["amount"]["total"], refund["amount"]["refund"]
        result = {
            "refund_id": refund["refund_id"],
            "out_refund_no": refund["out_refund_no"],
            "transaction_id": order["transaction_id"],
            "out_trade_no": order["out_trade_no"],
            "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱",
        }
        if refund["success_time"]:
            result["success_time"] = refund["success_time"]
        result.update(
            {
                "create_time": refund["create_time"],
                "status": refund["status"],
                "funds_account": "AVAILABLE",
                "amount": {
                    "total": total,
                    "refund": amount,
                    "from": [],
                    "payer_total": total,
                    "payer_refund": amount,
                    "settlement_refund": amount,
                    "settlement_total": total,
                    "discount_refund": 0,
                    "currency": "CNY",
                    "refund_fee": 0,
                },
                "promotion_detail": [],
            }
        )
        return result

    def _api_refund(self, request):
        body = request.body
        out_refund_no = _string(body, "out_refund_no")
        refund_amount = _integer(body, "amount/refund")
        total = _integer(body, "amount/total")
        _string(body, "amount/currency")
        order = self._order_to_refund(body)
        if self._trade_state(order) not in PAID_STATES:
            raise _ApiError(400, "INVALID_REQUEST", "交易未支付")
        if total != order["amount"]["total"]:
            raise _param_error("订单金额或退款金额与之前请求不一致")
        if refund_amount <= 0:
            raise _param_error("退款金额必须大于0")
        existing = self.refunds.get(out_refund_no)
        if existing:
            if existing["out_trade_no"] != order["out_trade_no"]:
                raise _ApiError(400, "INVALID_REQUEST", "商户退款单号重复")
            if existing["amount"]["refund"] != refund_amount:
                raise _ApiError(400, "INVALID_REQUEST", "订单金额或退款金额与之前请求不一致")
            return 200, self._refund_object(existing)
        if refund_amount > self._refundable(order["out_trade_no"]):
            raise _ApiError(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额")
        refund = {
            "out_refund_no": out_refund_no,
            "refund_id": "50" + _digits(27),
            "out_trade_no": order["out_trade_no"],
            "amount": {"refund": refund_amount, "total": total, "currency": "CNY"},
            "reason": body.get("reason"),
            "notify_url": body.get("notify_url"),
            "status": "PROCESSING",
            "create_time": _rfc3339(),
            "success_time": None,
        }
        self.refunds[out_refund_no] = refund
        order["trade_state"] = "REFUND"
        return 200, self._refund_object(refund)

    def _order_to_refund(self, body):
        transaction_id, out_trade_no = body.get("transaction_id"), body.get("out_trade_no")
        if transaction_id:
            order = next(
                (o for o in self.orders.values() if o["transaction_id"] == transaction_id), None
            )
        elif out_trade_no:
            order = self.orders.get(out_trade_no)
        else:
            raise _param_error("transaction_id和out_trade_no必须二选一进行传参")
        if order is None:
            raise _ApiError(404, "RESOURCE_NOT_EXISTS", "订单不存在")
        return order

    def _api_query_refund(self, request, out_refund_no):
        refund = self.refunds.get(out_refund_no)
        if refund is None:
            raise _ApiError(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
        return 200, self._refund_object(refund)

    # -- platform certificates ------------------------------------------------------------
    def _api_certificates(self, request):
        if self.mode != "certificate":
            raise _ApiError(404, "RESOURCE_NOT_EXISTS", "无可用的平台证书")
        certificate = self.platform_certificate
        nonce, ciphertext = self.encrypt_resource(self.platform_certificate_pem, "certificate")
        return 200, {
            "data": [
                {
                    "serial_no": self.platform_serial,
                    "effective_time": _rfc3339(certificate.not_valid_before_utc.timestamp()),
                    "expire_time": _rfc3339(certificate.not_valid_after_utc.timestamp()),
                    "encrypt_certificate": {
                        "algorithm": "AEAD_AES_256_GCM",
                        "nonce": nonce,
                        "associated_data": "certificate",
                        "ciphertext": ciphertext,
                    },
                }
            ]
        }

    # -- merchant transfers (商家转账) -----------------------------------------------------
    def _api_transfer(self, request):
        body = request.body
        appid = _string(body, "appid")
        out_bill_no = _string(body, "out_bill_no")
        scene_id = _string(body, "transfer_scene_id")
        openid = _string(body, "openid")
        amount = _integer(body, "transfer_amount")
        remark = _string(body, "transfer_remark")
        if appid != self.appid:
            raise _ApiError(400, "INVALID_REQUEST", "mchid与appid不匹配")
        if not re.fullmatch(r"[0-9A-Za-z]{5,32}", out_bill_no):
            raise _param_error("商户单号只能由5-32位数字、大小写字母组成")
        if amount < 10:
            raise _param_error("转账金额不能低于0.1元")
        if len(remark) > 32:
            raise _param_error("转账备注不能超过32个字符")
        user_name = self._user_name(request)
        if amount >= 200000 and user_name is None:
            raise _param_error("转账金额大于等于2000元时，收款用户姓名必填")
        existing = self.transfers.get(out_bill_no)
        if existing:
            if (existing["openid"], existing["transfer_amount"]) != (openid, amount):
                raise _ApiError(400, "INVALID_REQUEST", "商户单号重复，请核实")
            return 200, self._transfer_answer(existing)
        if openid in self.reject_transfers_to:
            raise _ApiError(400, "INVALID_REQUEST", "收款用户不存在或未实名")
        now = _rfc3339()
        bill = {
            "mch_id": self.mchid,
            "appid": appid,
            "out_bill_no": out_bill_no,
            "transfer_bill_no": "1330" + _digits(36),
            "transfer_scene_id": scene_id,
            "openid": openid,
            "transfer_amount": amount,
            "transfer_remark": remark,
            "user_name": user_name,
            "user_recv_perception": body.get("user_recv_perception"),
            "transfer_scene_report_infos": body.get("transfer_scene_report_infos") or [],
            "notify_url": body.get("notify_url"),
            "state": "WAIT_USER_CONFIRM",
            "fail_reason": None,
            "package_info": base64.b64encode(secrets.token_bytes(48)).decode(),
            "create_time": now,
            "update_time": now,
        }
        self.transfers[out_bill_no] = bill
        return 200, self._transfer_answer(bill)

    def _user_name(self, request):
        """The clear ``user_name`` (RSA-OAEP with the platform key), checked as WeChat does."""
        ciphertext = request.body.get("user_name")
        if not ciphertext:
            return None
        if request.headers.get("Wechatpay-Serial") != self.wechatpay_serial:
            raise _param_error("Wechatpay-Serial与加密敏感信息使用的平台证书或公钥不匹配")
        try:
            clear = self._platform_key.decrypt(
                base64.b64decode(ciphertext),
                padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None),
            )
            return clear.decode()
        except Exception:  # noqa: BLE001 - any failure means it was not encrypted for us
            raise _param_error("user_name解密失败，请使用微信支付公钥或平台证书加密") from None

    @staticmethod
    def _transfer_answer(bill):
        return {
            "out_bill_no": bill["out_bill_no"],
            "transfer_bill_no": bill["transfer_bill_no"],
            "create_time": bill["create_time"],
            "state": bill["state"],
            "package_info": bill["package_info"],
        }

    @staticmethod
    def _transfer_object(bill):
        result = {
            "mch_id": bill["mch_id"],
            "out_bill_no": bill["out_bill_no"],
            "transfer_bill_no": bill["transfer_bill_no"],
            "appid": bill["appid"],
            "state": bill["state"],
            "transfer_amount": bill["transfer_amount"],
            "transfer_remark": bill["transfer_remark"],
        }
        if bill["state"] == "FAIL":
            result["fail_reason"] = bill["fail_reason"]
        result.update(
            openid=bill["openid"], create_time=bill["create_time"], update_time=bill["update_time"]
        )
        return result

    def _transfer_or_404(self, out_bill_no=None, transfer_bill_no=None):
        if out_bill_no is not None:
            bill = self.transfers.get(out_bill_no)
        else:
            bill = next(
                (b for b in self.transfers.values() if b["transfer_bill_no"] == transfer_bill_no),
                None,
            )
        if bill is None:
            raise _ApiError(404, "NOT_FOUND", "记录不存在")
        return bill

    def _api_query_transfer(self, request, out_bill_no):
        return 200, self._transfer_object(self._transfer_or_404(out_bill_no=out_bill_no))

    def _api_query_transfer_by_bill_no(self, request, transfer_bill_no):
        bill = self._transfer_or_404(transfer_bill_no=transfer_bill_no)
        return 200, self._transfer_object(bill)

    def _api_cancel_transfer(self, request, out_bill_no):
        bill = self._transfer_or_404(out_bill_no=out_bill_no)
        if bill["state"] in TRANSFER_FINAL_STATES:
            raise _ApiError(400, "INVALID_REQUEST", "转账单当前状态不允许撤销")
        if bill["state"] != "CANCELING":
            bill["state"], bill["update_time"] = "CANCELING", _rfc3339()
        return 200, {
            "out_bill_no": bill["out_bill_no"],
            "transfer_bill_no": bill["transfer_bill_no"],
            "state": bill["state"],
            "update_time": bill["update_time"],
        }

    # -- notifications --------------------------------------------------------------------
    def signed_notification(self, event_type, original_type, resource, summary, timestamp=None):
        """(headers, body text) of a notification as WeChat Pay POSTs it.

        ``timestamp`` (unix seconds) lets a test build an old notification to replay.
        """
        nonce, ciphertext = self.encrypt_resource(_dumps(resource), original_type)
        body = _dumps(
            {
                "id": str(uuid.uuid4()),
                "create_time": _rfc3339(timestamp),
                "resource_type": "encrypt-resource",
                "event_type": event_type,
                "summary": summary,
                "resource": {
                    "original_type": original_type,
                    "algorithm": "AEAD_AES_256_GCM",
                    "ciphertext": ciphertext,
                    "associated_data": original_type,
                    "nonce": nonce,
                },
            }
        )
        headers = {"Content-Type": "application/json", **self.signed_headers(body, timestamp)}
        return headers, body

    def post_notification(self, url, event_type, original_type, resource, summary):
        """POST a signed notification to ``url``; the merchant's HTTP status, None if unreachable.

        Do not call it holding ``_lock``: the merchant may call the simulator back meanwhile.
        """
        headers, body = self.signed_notification(event_type, original_type, resource, summary)
        try:
            answer = requests.post(url, data=body.encode(), headers=headers, timeout=20)
            status, text = answer.status_code, answer.text
        except requests.RequestException as error:
            status, text = None, f"error: {error}"
        with self._lock:
            self.notifications.append(
                {"url": url, "headers": headers, "body": body, "status": status, "text": text}
            )
        return status

    def pay(self, out_trade_no, notify=True, openid=DEFAULT_OPENID):
        """The payer pays: the order succeeds and TRANSACTION.SUCCESS is sent to notify_url.

        Returns the merchant's HTTP status for the notification (None when not sent).
        """
        with self._lock:
            order = self.orders[out_trade_no]
            state = self._trade_state(order)
            if state == "CLOSED":
                raise ValueError(f"order {out_trade_no} is closed")
            if state not in PAID_STATES:
                order.update(
                    trade_state="SUCCESS",
                    transaction_id="42000" + _digits(23),
                    success_time=_rfc3339(),
                    bank_type="OTHERS",
                    payer=order["payer"] or {"openid": openid},
                )
            resource, url = self._transaction(order), order["notify_url"]
        if not notify:
            return None
        return self.post_notification(
            url, "TRANSACTION.SUCCESS", "transaction", resource, "支付成功"
        )

    def notify_transaction(self, out_trade_no, **resource_changes):
        """Send the order's TRANSACTION.SUCCESS notification again, with fields changed.

        For duplicate notifications and for ones whose content is wrong but validly signed
        (e.g. ``amount={"total": 1, ...}`` replaces the whole ``amount``).
        """
        with self._lock:
            order = self.orders[out_trade_no]
            resource, url = self._transaction(order), order["notify_url"]
        resource.update(resource_changes)
        return self.post_notification(
            url, "TRANSACTION.SUCCESS", "transaction", resource, "支付成功"
        )

    def finish_refund(self, out_refund_no, status="SUCCESS", notify=True):
        """The refund ends (SUCCESS, ABNORMAL or CLOSED) and REFUND.<status> is sent.

        A CLOSED or ABNORMAL refund's amount can be refunded again.
        """
        if status not in REFUND_EVENTS:
            raise ValueError(f"unknown refund status {status!r}")
        with self._lock:
            refund = self.refunds[out_refund_no]
            order = self.orders[refund["out_trade_no"]]
            refund["status"] = status
            refund["success_time"] = _rfc3339() if status == "SUCCESS" else None
            resource = {
                "mchid": order["mchid"],
                "out_trade_no": order["out_trade_no"],
                "transaction_id": order["transaction_id"],
                "out_refund_no": out_refund_no,
                "refund_id": refund["refund_id"],
                "refund_status": status,
            }
            if refund["success_time"]:
                resource["success_time"] = refund["success_time"]
            resource["user_received_account"] = "支付用户零钱"
            total, amount = order["amount"]["total"], refund["amount"]["refund"]
            resource["amount"] = {
                "total": total,
                "refund": amount,
                "payer_total": total,
                "payer_refund": amount,
            }
            url = refund["notify_url"] or order["notify_url"]
        if not notify or not url:
            return None
        event_type, summary = REFUND_EVENTS[status]
        return self.post_notification(url, event_type, "refund", resource, summary)

    def finish_transfer(self, out_bill_no, state="SUCCESS", fail_reason=None, notify=True):
        """The transfer ends (SUCCESS, FAIL or CANCELLED); MCHTRANSFER.BILL.FINISHED is sent."""
        if state not in TRANSFER_FINAL_STATES:
            raise ValueError(f"unknown transfer state {state!r}")
        with self._lock:
            bill = self.transfers[out_bill_no]
            bill["state"], bill["update_time"] = state, _rfc3339()
            bill["fail_reason"] = (fail_reason or "ACCOUNT_FROZEN") if state == "FAIL" else None
            resource = {
                "out_bill_no": bill["out_bill_no"],
                "transfer_bill_no": bill["transfer_bill_no"],
                "state": state,
                "mch_id": bill["mch_id"],
                "transfer_amount": bill["transfer_amount"],
                "openid": bill["openid"],
            }
            if state == "FAIL":
                resource["fail_reason"] = bill["fail_reason"]
            resource["create_time"] = bill["create_time"]
            resource["update_time"] = bill["update_time"]
            url = bill["notify_url"]
        if not notify or not url:
            return None
        return self.post_notification(
            url, "MCHTRANSFER.BILL.FINISHED", "mch_payment", resource, "商家转账单据终态通知"
        )

    # -- cashier pages (the simulator's own, no authentication) ---------------------------
    def cashier_url(self, code):
        """The cashier page of a Native ``code_url`` (or its ``pr`` token) or a prepay_id."""
        return f"{self.base_url}/simulator/pay?code={quote(self._code(code), safe='')}"

    @staticmethod
    def _code(code):
        if "pr=" in code:
            return dict(parse_qsl(urlsplit(code).query)).get("pr", "")
        return code

    def _order_by_code(self, code):
        code = self._code(code or "")
        return next(
            (o for o in self.orders.values() if code and code in (o["code"], o["prepay_id"])),
            None,
        )

    def _cashier(self, method, raw_path, text):
        split = urlsplit(raw_path)
        if method == "GET" and split.path == "/simulator/pay":
            return self._cashier_page(dict(parse_qsl(split.query)))
        if method == "POST" and split.path == "/simulator/pay/confirm":
            return self._cashier_confirm(dict(parse_qsl(text)))
        return _html(404, "页面不存在", "<p>页面不存在</p>")

    def _cashier_page(self, params):
        with self._lock:
            order = self._order_by_code(params.get("code"))
            if order is None:
                return _html(404, "订单不存在", '<p class="error">订单不存在</p>')
            state = self._trade_state(order)
            description, amount = order["description"], _yuan(order["amount"]["total"])
        summary = (
            f'<p class="description">{escape(description)}</p><p class="amount">¥ {amount}</p>'
        )
        if state == "CLOSED":
            return _html(200, "订单已关闭", summary + '<p class="error">订单已关闭</p>')
        if state in PAID_STATES:
            return _html(200, "订单已支付", summary + '<p class="success">订单已支付</p>')
        form = (
            '<form method="post" action="/simulator/pay/confirm">'
            f'<input type="hidden" name="code" value="{escape(params["code"])}"/>'
            '<input type="hidden" name="redirect_url" '
            f'value="{escape(params.get("redirect_url", ""))}"/>'
            '<button type="submit" name="confirm" class="btn-pay">确认支付</button>'
            "</form>"
        )
        return _html(200, "微信支付（模拟器）", summary + form)

    def _cashier_confirm(self, params):
        with self._lock:
            order = self._order_by_code(params.get("code"))
            if order is None:
                return _html(404, "订单不存在", '<p class="error">订单不存在</p>')
            state = self._trade_state(order)
            out_trade_no = order["out_trade_no"]
        if state == "CLOSED":
            return _html(200, "订单已关闭", '<p class="error">订单已关闭</p>')
        if state not in PAID_STATES:
            self.pay(out_trade_no)  # the notification is sent before the browser comes back
        redirect_url = params.get("redirect_url")
        if redirect_url:
            return 302, {"Location": redirect_url}, b""
        return _html(200, "支付成功", '<p class="success">支付成功</p>')


_ROUTES = [
    ("POST", r"/v3/pay/transactions/(native|jsapi|h5)", "_api_prepay"),
    ("GET", r"/v3/pay/transactions/out-trade-no/([^/]+)", "_api_query_out_trade_no"),
    ("GET", r"/v3/pay/transactions/id/([^/]+)", "_api_query_transaction_id"),
    ("POST", r"/v3/pay/transactions/out-trade-no/([^/]+)/close", "_api_close"),
    ("POST", r"/v3/refund/domestic/refunds", "_api_refund"),
    ("GET", r"/v3/refund/domestic/refunds/([^/]+)", "_api_query_refund"),
    ("GET", r"/v3/certificates", "_api_certificates"),
    ("POST", r"/v3/fund-app/mch-transfer/transfer-bills", "_api_transfer"),
    (
        "GET",
        r"/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/([^/]+)",
        "_api_query_transfer",
    ),
    (
        "GET",
        r"/v3/fund-app/mch-transfer/transfer-bills/transfer-bill-no/([^/]+)",
        "_api_query_transfer_by_bill_no",
    ),
    (
        "POST",
        r"/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/([^/]+)/cancel",
        "_api_cancel_transfer",
    ),
]

_STYLE = (
    "body{font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;"
    "background:#ededed;margin:0;padding:24px 16px;color:#111}"
    ".card{max-width:420px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;"
    "text-align:center}"
    "h1{font-size:18px;font-weight:normal;color:#07c160}"
    ".amount{font-size:32px;font-weight:bold;margin:16px 0}"
    ".btn-pay{width:100%;padding:12px;border:0;border-radius:6px;background:#07c160;"
    "color:#fff;font-size:17px}"
    ".error{color:#fa5151}.success{color:#07c160}"
)


def _html(status, title, content):
    page = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f'<body><main class="card"><h1>微信支付（模拟器）</h1>{content}</main></body></html>'
    )
    return status, {"Content-Type": "text/html; charset=utf-8"}, page.encode()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # quiet
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")

    def _handle(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        status, headers, body = self.server.simulator.handle_request(
            method, self.path, self.headers, data
        )
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 204:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # the client gave up waiting (a timeout test): as WeChat Pay, carry on
            self.close_connection = True
