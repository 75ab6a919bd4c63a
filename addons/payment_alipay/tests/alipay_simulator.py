"""A local simulator of Alipay's open API gateway (gateway.do), for tests and demos.

Like Alipay it checks the merchant's RSA2 signature on every request (all
parameters but ``sign``, sorted, ``k=v`` joined by ``&``, SHA256withRSA), and
signs what it sends with "Alipay's" private key: the synchronous answers of
alipay.trade.query / refund (over the JSON of ``<method>_response``) and the
asynchronous notifications (all fields but ``sign`` and ``sign_type``).
The page and WAP pay requests answer a cashier page; with ``simulate=pay``
(what a test or a demo visitor does instead of paying on the phone) the trade
is paid, the notification is POSTed to ``notify_url`` and the browser is sent
to ``return_url`` with signed parameters, as Alipay does.

单笔转账 (alipay.fund.trans.uni.transfer) pays an Alipay account the simulator
knows (``payees``: logon id -> real name) from the merchant's ``balance``; like
Alipay it is idempotent by ``out_biz_no``: a request sent again with it gets
the first answer and never pays twice. alipay.fund.trans.common.query reads a
transfer back (ORDER_NOT_EXIST when none arrived). ``next_transfer`` makes the
next transfer request's answer lost before it arrives ("lost_before"), lost
after it was paid ("lost_after"), late beyond the client's timeout
("timeout"), still DEALING ("dealing"), unsigned ("unsigned") or signed with a
key that is not Alipay's ("forged").

Certificate mode (公钥证书模式, ``certificate_mode=True``): the simulator
makes, with ``cryptography``, a root chain like alipayRootCert.crt (two RSA
certificates and an ECDSA one), Alipay's public certificate signed by it and
the app's certificate for the merchant's key (what the open platform issues
from the app's CSR): ``app_cert``, ``alipay_cert`` and ``root_cert`` are their
PEM texts, for the provider. Like Alipay it then requires, on every request,
``app_cert_sn`` (the SN of the app certificate: MD5 of its issuer's name, most
specific attribute first, and its decimal serial number) and
``alipay_root_cert_sn`` (the SNs of the chain's RSA-signed certificates
joined by "_"): a missing or wrong one is answered, unsigned, as Alipay does
(40002 ``isv.app-cert-not-exist`` 应用公钥证书不存在, seen from Alipay for
an app certificate SN it does not know, and 40002
``isv.invalid-alipay-root-cert-sn`` 无效支付宝根证书序列号). Its signed
answers name the certificate whose key signed them (``alipay_cert_sn``).

In public key mode, the transfer APIs (alipay.fund.trans.uni.transfer and
alipay.fund.trans.common.query) are refused as Alipay refuses them to an app
that signs with a plain public key: "only callable in public key certificate
mode" (Alipay's documentation of 单笔转账: 该接口仅支持公钥证书方式调用), a
signed 40006 Insufficient Permissions ``isv.insufficient-isv-permissions``
answer, whose sub_msg asks for the certificate mode.
"""

import base64
import datetime
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

# the APIs Alipay only serves to an app in certificate mode
CERTIFICATE_ONLY_METHODS = ("alipay.fund.trans.uni.transfer", "alipay.fund.trans.common.query")


def new_rsa_key():
    """(private PEM, public PEM) of a fresh 2048-bit key, as Alipay's tools make."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def cert_sn(cert):
    """Alipay's SN of a ``cryptography`` certificate: MD5 of its issuer's
    name, most specific attribute first (RFC 4514, as Java's
    ``getIssuerX500Principal().getName()``), followed by its serial number
    in decimal."""
    return hashlib.md5(
        (cert.issuer.rfc4514_string() + str(cert.serial_number)).encode()
    ).hexdigest()


def _name(common_name, unit="Certification Authority", organization="Ant Financial"):
    # in the DER order Alipay's certificates have: C, O, OU, CN
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, issuer, public_key, issuer_key, ca=False):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    return builder.sign(issuer_key, hashes.SHA256())


def pem(*certs):
    """Certificates as the open platform's .crt files hold them."""
    return "".join(cert.public_bytes(serialization.Encoding.PEM).decode() for cert in certs)


class AlipayCertificates:
    """What Alipay's open platform gives an app in certificate mode, made
    here: the root chain (alipayRootCert.crt: an RSA root, an RSA class 2
    CA under it, an ECDSA root), Alipay's public certificate
    (alipayCertPublicKey_RSA2.crt) and the app's (appCertPublicKey_<APPID>.crt),
    both issued by the class 2 CA."""

    def __init__(self, app_public_pem, alipay_public_pem, app_id="2021000000000000"):
        root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        root_name = _name("Ant Financial Certification Authority R1")
        self.root = _certificate(root_name, root_name, root_key.public_key(), root_key, ca=True)
        class2_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        class2_name = _name("Ant Financial Certification Authority Class 2 R1")
        self.class2 = _certificate(
            class2_name, root_name, class2_key.public_key(), root_key, ca=True
        )
        ec_key = ec.generate_private_key(ec.SECP256R1())
        ec_name = _name("Ant Financial Certification Authority E1")
        self.ec_root = _certificate(ec_name, ec_name, ec_key.public_key(), ec_key, ca=True)
        self.alipay = _certificate(
            _name("支付宝(中国)网络技术有限公司-2088000000000000", "Alipay", "Alipay"),
            class2_name,
            serialization.load_pem_public_key(alipay_public_pem.encode()),
            class2_key,
        )
        self.app = _certificate(
            _name(app_id, "Alipay Open Platform", "Fenxiao"),
            class2_name,
            serialization.load_pem_public_key(app_public_pem.encode()),
            class2_key,
        )
        self.app_cert = pem(self.app)
        self.alipay_cert = pem(self.alipay, self.class2)
        # Alipay's file: certificates one after the other, no blank line between
        self.root_cert = pem(self.root, self.class2, self.ec_root)
        self.app_cert_sn = cert_sn(self.app)
        self.alipay_cert_sn = cert_sn(self.alipay)
        # the ECDSA-signed root has no SN there
        self.root_cert_sn = f"{cert_sn(self.root)}_{cert_sn(self.class2)}"


def unsigned_string(params, exclude=("sign",)):
    return "&".join(f"{key}={value}" for key, value in sorted(params.items()) if key not in exclude)


class AlipaySimulator:
    def __init__(self, app_id, merchant_public_key, certificate_mode=False):
        self.app_id = app_id
        self.merchant_public_key = serialization.load_pem_public_key(merchant_public_key.encode())
        self.alipay_private_pem, self.alipay_public_key = new_rsa_key()
        self._alipay_key = serialization.load_pem_private_key(
            self.alipay_private_pem.encode(), None
        )
        # certificate mode: the certificates the app was given (see above)
        self.certificates = None
        if certificate_mode:
            self.certificates = AlipayCertificates(
                merchant_public_key, self.alipay_public_key, app_id
            )
        self.trades = {}  # out_trade_no -> {total_amount, status, trade_no, refunded, ...}
        self.notifications = []  # (url, params, answer)
        self.received = []
        self.fail_next = 0  # answer the next N API calls with HTTP 502
        self.auto_pay = False  # the cashier pays at once, as a phone would (browser tours)
        self.payees = {}  # Alipay logon id (phone or e-mail) -> the account's real name
        self.balance = 1000000.0  # the merchant's Alipay balance, paying the transfers
        self.transfers = {}  # out_biz_no -> {trans_amount, status, order_id, answer, ...}
        self.next_transfer = None  # what happens to the next transfer request (see above)
        self.delay = 0.0  # seconds an answer is held back before it is sent ("timeout")
        self.lost_answers = 0  # answers the client no longer waited for
        self._lock = threading.RLock()
        self._server = None

    # -- life cycle ---------------------------------------------------------------------
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

    def provider_values(self, app_private_key):
        """What a payment provider needs to talk to this simulator, in its
        key mode: the app's key, Alipay's public key or the certificates,
        the gateway."""
        values = {
            "alipay_app_id": self.app_id,
            "alipay_app_private_key": app_private_key,
            "alipay_gateway_url": self.gateway,
            "alipay_key_mode": "certificate" if self.certificates else "public_key",
        }
        if self.certificates:
            values.update(
                alipay_app_cert=self.app_cert,
                alipay_public_cert=self.alipay_cert,
                alipay_root_cert=self.root_cert,
            )
        else:
            values["alipay_public_key"] = self.alipay_public_key
        return values

    @property
    def app_cert(self):
        return self.certificates.app_cert

    @property
    def alipay_cert(self):
        return self.certificates.alipay_cert

    @property
    def root_cert(self):
        return self.certificates.root_cert

    @property
    def gateway(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}/gateway.do"

    # -- signatures ---------------------------------------------------------------------
    def sign(self, text):
        signature = self._alipay_key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()

    def merchant_signed(self, params):
        try:
            self.merchant_public_key.verify(
                base64.b64decode(params.get("sign", "")),
                # ``simulate`` is the simulator's own switch, added after signing
                unsigned_string(params, exclude=("sign", "simulate")).encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
            return True
        except Exception:  # noqa: BLE001 - any failure is a bad signature
            return False

    def signed_notification(self, fields):
        params = {**fields, "sign_type": "RSA2"}
        params["sign"] = self.sign(unsigned_string(params, exclude=("sign", "sign_type")))
        return params

    # -- the gateway --------------------------------------------------------------------
    def handle(self, params):
        """(status, content type, body, location) of one gateway request."""
        if params.get("app_id") != self.app_id:
            return self._api_error(params, "40002", "isv.invalid-app-id", "无效的AppID参数")
        if self.certificates:
            # the app's key is the one of the certificate named
            if params.get("app_cert_sn") != self.certificates.app_cert_sn:
                return self._api_error(
                    params, "40002", "isv.app-cert-not-exist", "应用公钥证书不存在"
                )
            if params.get("alipay_root_cert_sn") != self.certificates.root_cert_sn:
                return self._api_error(
                    params, "40002", "isv.invalid-alipay-root-cert-sn", "无效支付宝根证书序列号"
                )
        if not self.merchant_signed(params):
            return self._api_error(params, "40002", "isv.invalid-signature", "验签出错")
        method = params.get("method", "")
        biz = json.loads(params.get("biz_content") or "{}")
        if method in CERTIFICATE_ONLY_METHODS and not self.certificates:
            content = {
                "code": "40006",
                "msg": "Insufficient Permissions",
                "sub_code": "isv.insufficient-isv-permissions",
                "sub_msg": "ISV权限不足，该接口仅支持公钥证书方式调用，请使用公钥证书模式",
            }
            return self._answer(method, content)
        if method in ("alipay.trade.page.pay", "alipay.trade.wap.pay"):
            return self._cashier(params, biz)
        if method == "alipay.trade.query":
            return self._answer(method, self._query(biz))
        if method == "alipay.trade.refund":
            return self._answer(method, self._refund(biz))
        if method == "alipay.trade.close":
            return self._answer(method, self._close(biz))
        if method == "alipay.fund.trans.uni.transfer":
            return self._transfer(method, biz)
        if method == "alipay.fund.trans.common.query":
            return self._answer(method, self._transfer_query(biz))
        return self._api_error(params, "40004", "isv.invalid-method", "不存在的方法名")

    def _api_error(self, params, code, sub_code, sub_msg):
        key = params.get("method", "error").replace(".", "_") + "_response"
        body = json.dumps(
            {
                "error_response" if key == "error_response" else key: {
                    "code": code,
                    "msg": "Invalid Arguments",
                    "sub_code": sub_code,
                    "sub_msg": sub_msg,
                }
            },
            ensure_ascii=False,
        )
        # Alipay signs errors too, but a bad signature gets an unsigned answer
        return 200, "application/json;charset=utf-8", body, None

    def _answer(self, method, content):
        key = method.replace(".", "_") + "_response"
        inner = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        body = f'{{"{key}":{inner},{self._cert_sn_member()}"sign":"{self.sign(inner)}"}}'
        return 200, "application/json;charset=utf-8", body, None

    def _cert_sn_member(self):
        """In certificate mode, the SN of the certificate whose key signs (alipay_cert_sn)."""
        if not self.certificates:
            return ""
        return f'"alipay_cert_sn":"{self.certificates.alipay_cert_sn}",'

    def _cashier(self, params, biz):
        out_trade_no = biz.get("out_trade_no")
        trade = self.trades.setdefault(
            out_trade_no,
            {
                "total_amount": biz.get("total_amount"),
                "status": "WAIT_BUYER_PAY",
                "trade_no": time.strftime("%Y%m%d") + "2200" + secrets.token_hex(6),
                "refunded": 0.0,
                "notify_url": params.get("notify_url"),
                "return_url": params.get("return_url"),
            },
        )
        if params.get("simulate") != "pay" and not self.auto_pay:
            page = (
                f"<h3>支付宝收银台（模拟器）</h3><p>{biz.get('subject', '')}</p>"
                f"<p>¥ {biz.get('total_amount')}</p>"
                f'<p><a href="?{urlencode({**params, "simulate": "pay"})}">确认付款</a></p>'
            )
            return 200, "text/html; charset=utf-8", page, None
        trade["status"] = "TRADE_SUCCESS"
        self.notify(out_trade_no)
        back = {
            "app_id": self.app_id,
            "method": params["method"] + ".return",
            "out_trade_no": out_trade_no,
            "trade_no": trade["trade_no"],
            "total_amount": trade["total_amount"],
            "timestamp": time.strftime("%Y-%m-%d %H:%M:%S"),
            "charset": "utf-8",
        }
        signed = self.signed_notification(back)
        return 302, None, "", f"{trade['return_url']}?{urlencode(signed)}"

    def notification_fields(self, out_trade_no, **changes):
        trade = self.trades[out_trade_no]
        fields = {
            "notify_time": time.strftime("%Y-%m-%d %H:%M:%S"),
            "notify_type": "trade_status_sync",
            "notify_id": secrets.token_hex(16),
            "app_id": self.app_id,
            "charset": "utf-8",
            "version": "1.0",
            "trade_no": trade["trade_no"],
            "out_trade_no": out_trade_no,
            "trade_status": trade["status"],
            "total_amount": trade["total_amount"],
            "receipt_amount": trade["total_amount"],
            "buyer_id": "2088102177846880",
        }
        fields.update(changes)
        return fields

    def notify(self, out_trade_no, **changes):
        """POST the signed asynchronous notification to the merchant."""
        trade = self.trades[out_trade_no]
        params = self.signed_notification(self.notification_fields(out_trade_no, **changes))
        try:
            answer = requests.post(trade["notify_url"], data=params, timeout=10).text
        except requests.RequestException as error:
            answer = f"error: {error}"
        self.notifications.append((trade["notify_url"], params, answer))
        return answer

    def _query(self, biz):
        trade = self.trades.get(biz.get("out_trade_no"))
        if not trade:
            return {
                "code": "40004",
                "msg": "Business Failed",
                "sub_code": "ACQ.TRADE_NOT_EXIST",
                "sub_msg": "交易不存在",
            }
        return {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": biz["out_trade_no"],
            "trade_no": trade["trade_no"],
            "trade_status": trade["status"],
            "total_amount": trade["total_amount"],
        }

    def _refund(self, biz):
        trade = self.trades.get(biz.get("out_trade_no"))
        if not trade or trade["status"] not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            return {
                "code": "40004",
                "msg": "Business Failed",
                "sub_code": "ACQ.TRADE_STATUS_ERROR",
                "sub_msg": "交易状态不合法",
            }
        requested = trade.setdefault("refund_requests", {})
        request_no = biz.get("out_request_no") or biz["out_trade_no"]
        amount = float(biz.get("refund_amount", 0))
        if request_no not in requested:  # the same request number refunds once
            if round(trade["refunded"] + amount, 2) > float(trade["total_amount"]):
                return {
                    "code": "40004",
                    "msg": "Business Failed",
                    "sub_code": "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
                    "sub_msg": "退款金额超限",
                }
            requested[request_no] = amount
            trade["refunded"] = round(trade["refunded"] + amount, 2)
        return {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": biz["out_trade_no"],
            "trade_no": trade["trade_no"],
            "refund_fee": f"{trade['refunded']:.2f}",
            "fund_change": "Y",
        }

    def _close(self, biz):
        trade = self.trades.get(biz.get("out_trade_no"))
        if not trade:
            return {
                "code": "40004",
                "msg": "Business Failed",
                "sub_code": "ACQ.TRADE_NOT_EXIST",
                "sub_msg": "交易不存在",
            }
        if trade["status"] != "WAIT_BUYER_PAY":
            return {
                "code": "40004",
                "msg": "Business Failed",
                "sub_code": "ACQ.TRADE_STATUS_ERROR",
                "sub_msg": "交易状态不合法",
            }
        trade["status"] = "TRADE_CLOSED"
        return {"code": "10000", "msg": "Success", "out_trade_no": biz.get("out_trade_no")}

    # -- 单笔转账 -----------------------------------------------------------------------
    def _transfer_refusal(self, biz):
        """(sub_code, sub_msg) of a transfer Alipay refuses, or None."""
        payee = biz.get("payee_info") or {}
        if (
            biz.get("product_code") != "TRANS_ACCOUNT_NO_PWD"
            or biz.get("biz_scene") != "DIRECT_TRANSFER"
            or payee.get("identity_type") != "ALIPAY_LOGON_ID"
        ):
            return "INVALID_PARAMETER", "参数有误"
        try:
            amount = float(biz.get("trans_amount"))
        except (TypeError, ValueError):
            return "INVALID_PARAMETER", "参数有误"
        if amount < 0.1 or f"{amount:.2f}" != biz.get("trans_amount"):
            return "INVALID_PARAMETER", "参数有误"
        if payee.get("identity") not in self.payees:
            return "PAYEE_NOT_EXIST", "收款账号不存在"
        if payee.get("name") and payee["name"] != self.payees[payee["identity"]]:
            return "PAYEE_USER_INFO_ERROR", "支付宝账号和姓名不匹配，请确认姓名是否正确"
        if amount > self.balance:
            return "PAYER_BALANCE_NOT_ENOUGH", "付款方余额不足"
        return None

    def _transfer(self, method, biz):
        """One 单笔转账: paid at once (or DEALING), idempotent by out_biz_no."""
        out_biz_no = biz.get("out_biz_no")
        mode, self.next_transfer = self.next_transfer, None
        if mode == "lost_before":  # never reaches Alipay
            return 502, "text/plain", "Bad Gateway", None
        transfer = self.transfers.get(out_biz_no)
        if transfer is None:
            refusal = self._transfer_refusal(biz)
            if refusal:
                content = {
                    "code": "40004",
                    "msg": "Business Failed",
                    "sub_code": refusal[0],
                    "sub_msg": refusal[1],
                }
                # a refused transfer is not kept: the same out_biz_no may be sent again
                return self._answer(method, content)
            self.balance = round(self.balance - float(biz["trans_amount"]), 2)
            transfer = self.transfers[out_biz_no] = {
                "trans_amount": biz["trans_amount"],
                "payee": biz["payee_info"]["identity"],
                "name": biz["payee_info"].get("name"),
                "order_title": biz.get("order_title"),
                "remark": biz.get("remark"),
                "status": "DEALING" if mode == "dealing" else "SUCCESS",
                "order_id": time.strftime("%Y%m%d") + "1100" + secrets.token_hex(8),
                "pay_fund_order_id": time.strftime("%Y%m%d") + "0200" + secrets.token_hex(8),
                "trans_date": time.strftime("%Y-%m-%d %H:%M:%S"),
                "requests": 0,
            }
        transfer["requests"] += 1
        content = {
            "code": "10000",
            "msg": "Success",
            "out_biz_no": out_biz_no,
            "order_id": transfer["order_id"],
            "pay_fund_order_id": transfer["pay_fund_order_id"],
            "status": transfer["status"],
            "trans_date": transfer["trans_date"],
        }
        if mode == "lost_after":
            return 502, "text/plain", "Bad Gateway", None
        if mode == "timeout":
            self.delay = 2.0
        if mode == "unsigned":
            key = method.replace(".", "_") + "_response"
            return 200, "application/json;charset=utf-8", json.dumps({key: content}), None
        if mode == "forged":
            key = method.replace(".", "_") + "_response"
            inner = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
            forger = serialization.load_pem_private_key(new_rsa_key()[0].encode(), None)
            signature = forger.sign(inner.encode(), padding.PKCS1v15(), hashes.SHA256())
            body = (
                f'{{"{key}":{inner},{self._cert_sn_member()}'
                f'"sign":"{base64.b64encode(signature).decode()}"}}'
            )
            return 200, "application/json;charset=utf-8", body, None
        return self._answer(method, content)

    def finish_transfer(self, out_biz_no, status="SUCCESS", fail_reason=None):
        """A DEALING transfer ends (SUCCESS, FAIL, REFUND); a failed one gives the money back."""
        with self._lock:
            transfer = self.transfers[out_biz_no]
            transfer["status"] = status
            if status != "SUCCESS":
                transfer["fail_reason"] = fail_reason or "收款方账户异常"
                self.balance = round(self.balance + float(transfer["trans_amount"]), 2)

    def _transfer_query(self, biz):
        transfer = self.transfers.get(biz.get("out_biz_no"))
        if not transfer or biz.get("product_code") != "TRANS_ACCOUNT_NO_PWD":
            return {
                "code": "40004",
                "msg": "Business Failed",
                "sub_code": "ORDER_NOT_EXIST",
                "sub_msg": "转账订单不存在",
            }
        content = {
            "code": "10000",
            "msg": "Success",
            "order_id": transfer["order_id"],
            "pay_fund_order_id": transfer["pay_fund_order_id"],
            "out_biz_no": biz["out_biz_no"],
            "trans_amount": transfer["trans_amount"],
            "status": transfer["status"],
            "pay_date": transfer["trans_date"],
            "order_fee": "0.00",
        }
        if transfer.get("fail_reason"):
            content["fail_reason"] = transfer["fail_reason"]
        return content


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # quiet
        pass

    def do_GET(self):
        self._handle(urlsplit(self.path).query)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._handle(self.rfile.read(length).decode())

    def _handle(self, query):
        simulator = self.server.simulator
        params = dict(parse_qsl(query, keep_blank_values=True))
        with simulator._lock:
            simulator.received.append(params)
            if simulator.fail_next and params.get("method", "").endswith(("query", "refund")):
                simulator.fail_next -= 1
                status, content_type, body, location = 502, "text/plain", "Bad Gateway", None
            else:
                status, content_type, body, location = simulator.handle(params)
            delay, simulator.delay = simulator.delay, 0.0
        if delay:  # an answer held back beyond the client's timeout
            time.sleep(delay)
        try:
            self._respond(status, content_type, body, location)
        except (BrokenPipeError, ConnectionResetError):
            # the client gave up waiting: its answer is lost, as a test wanted
            simulator.lost_answers += 1

    def _respond(self, status, content_type, body, location):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        data = body.encode()
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
