import hashlib

from alipay import DCAliPay
from cryptography import x509

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .. import utils
from .alipay_simulator import AlipayCertificates, new_rsa_key, pem
from .test_alipay import TestAlipay


@tagged("post_install", "-at_install")
class TestAlipayCertificateMode(TestAlipay):
    """Every Alipay test again, with the provider and the simulator in
    certificate mode (公钥证书模式), and what is only of that mode."""

    certificate_mode = True
    allow_inherited_tests_method = True

    def test_paid_and_notified_in_certificate_mode(self):
        self.assertIsInstance(self.provider._alipay_client(), utils.GatewayDCAliPay)
        tx = self._create_transaction("redirect", reference="SO-ALI-CERT-1")
        self._pay(tx)
        cashier = self.simulator.received[-1]
        certificates = self.simulator.certificates
        self.assertEqual(cashier["app_cert_sn"], certificates.app_cert_sn)
        self.assertEqual(cashier["alipay_root_cert_sn"], certificates.root_cert_sn)
        # the notification, signed with the key of Alipay's certificate, is taken
        self.assertEqual(self.simulator.notifications[-1][2], "success")
        self.assertEqual(self._state(tx), "done")
        # a query's answer names Alipay's certificate, and is verified with its key
        answer = self.provider._alipay_call("api_alipay_trade_query", out_trade_no=tx.reference)
        self.assertEqual(answer["trade_status"], "TRADE_SUCCESS")
        self.assertNotEqual(
            self.provider.alipay_public_key.strip(), self.simulator.alipay_public_key.strip()
        )

    @mute_logger("odoo.addons.payment_alipay.models.payment_provider")
    def test_wrong_certificate_sn_is_refused_by_alipay(self):
        # a certificate of the same key Alipay never issued to this app
        other = AlipayCertificates(self.app_public, self.simulator.alipay_public_key, "2021")
        self.provider.alipay_app_cert = other.app_cert
        with self.assertRaisesRegex(ValidationError, "isv.app-cert-not-exist 应用公钥证书不存在"):
            self.provider._alipay_call("api_alipay_trade_query", out_trade_no="SO-ALI-CERT-2")
        self.assertEqual(self.simulator.received[-1]["app_cert_sn"], other.app_cert_sn)
        # the shopper's cashier page says the same
        tx = self._create_transaction("redirect", reference="SO-ALI-CERT-2")
        page = self._pay(tx, pay=False)
        self.assertIn("isv.app-cert-not-exist", page.text)
        self.assertNotIn("SO-ALI-CERT-2", self.simulator.trades)
        # another root chain
        self.provider.write({"alipay_app_cert": self.simulator.app_cert})
        self.provider.alipay_root_cert = other.root_cert
        with self.assertRaisesRegex(ValidationError, "isv.invalid-alipay-root-cert-sn"):
            self.provider._alipay_call("api_alipay_trade_query", out_trade_no="SO-ALI-CERT-2")
        # no SN at all: a request signed in public key mode
        self.provider.write(
            {
                "alipay_root_cert": self.simulator.root_cert,
                "alipay_key_mode": "public_key",
                "alipay_public_key": self.simulator.alipay_public_key,
            }
        )
        with self.assertRaisesRegex(ValidationError, "isv.app-cert-not-exist"):
            self.provider._alipay_call("api_alipay_trade_query", out_trade_no="SO-ALI-CERT-2")
        self.assertNotIn("app_cert_sn", self.simulator.received[-1])

    @mute_logger("odoo.addons.payment_alipay.models.payment_provider")
    def test_answer_signed_with_another_alipay_certificate(self):
        """Alipay renewed its certificate: its answers name another one."""
        self.simulator.certificates.alipay_cert_sn = "0" * 32
        with self.assertRaisesRegex(ValidationError, "new public certificate"):
            self.provider._alipay_call("api_alipay_trade_query", out_trade_no="SO-ALI-CERT-3")

    def test_certificate_sn_as_alipay_computes_it(self):
        client = self.provider._alipay_client()
        app = x509.load_pem_x509_certificate(self.simulator.app_cert.encode())
        # Alipay's order: the issuer's most specific attribute first
        self.assertEqual(
            app.issuer.rfc4514_string(),
            "CN=Ant Financial Certification Authority Class 2 R1,"
            "OU=Certification Authority,O=Ant Financial,C=CN",
        )
        expected = hashlib.md5(
            (app.issuer.rfc4514_string() + str(app.serial_number)).encode()
        ).hexdigest()
        self.assertEqual(client.app_cert_sn, expected)
        self.assertEqual(DCAliPay.get_cert_sn(self.simulator.app_cert), expected)
        # the root chain: its RSA certificates' SNs, the ECDSA one left out
        chain = [
            x509.load_pem_x509_certificate(block.encode())
            for block in utils.certificate_blocks(self.simulator.root_cert)
        ]
        self.assertEqual(len(chain), 3)
        rsa_sns = [
            hashlib.md5(
                (cert.issuer.rfc4514_string() + str(cert.serial_number)).encode()
            ).hexdigest()
            for cert in chain[:2]
        ]
        self.assertEqual(client.alipay_root_cert_sn, "_".join(rsa_sns))
        # what the simulator checks is the same
        self.assertEqual(client.app_cert_sn, self.simulator.certificates.app_cert_sn)
        self.assertEqual(client.alipay_root_cert_sn, self.simulator.certificates.root_cert_sn)
        # the chain pasted with Windows line ends and blank lines reads the same
        pasted = self.simulator.root_cert.replace("\n", "\r\n").replace(
            "-----END CERTIFICATE-----", "-----END CERTIFICATE-----\r\n"
        )
        self.provider.alipay_root_cert = pasted
        self.assertEqual(self.provider._alipay_client().alipay_root_cert_sn, "_".join(rsa_sns))

    def _refused(self, pattern, **values):
        """Writing ``values`` is refused with ``pattern``; nothing is kept."""
        with self.assertRaisesRegex(ValidationError, pattern), self.env.cr.savepoint():
            self.provider.write(values)

    def test_certificates_that_do_not_parse_are_refused_on_save(self):
        self._refused("App Public Certificate is not a certificate", alipay_app_cert="appCert")
        self._refused(
            "Alipay Public Certificate is not a certificate",
            alipay_public_cert="-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        )
        other_key = AlipayCertificates(new_rsa_key()[1], self.simulator.alipay_public_key)
        self._refused(
            "not the certificate of the app private key", alipay_app_cert=other_key.app_cert
        )
        ec_only = pem(self.simulator.certificates.ec_root)
        self._refused("holds no RSA certificate", alipay_root_cert=ec_only)
        self._refused("Alipay Root Certificate must be set", alipay_root_cert=False)
        # switched to certificate mode without its certificates
        self.provider.write({"alipay_key_mode": "public_key", "alipay_app_cert": False})
        self._refused("App Public Certificate must be set", alipay_key_mode="certificate")
        # a disabled provider may wait for them
        self.provider.write({"state": "disabled", "alipay_key_mode": "certificate"})
        self.assertEqual(self.provider.alipay_key_mode, "certificate")
        # nothing refused was kept
        self.assertEqual(self.provider.alipay_root_cert, self.simulator.root_cert)
        self.assertEqual(self.provider.alipay_public_cert, self.simulator.alipay_cert)
