from odoo.addons.payment.tests.http_common import PaymentHttpCommon

from .wechatpay_simulator import (
    WeChatPaySimulator,
    new_apiv3_key,
    new_merchant_certificate_serial,
    new_rsa_key,
)

MCH_ID = "1900000109"
APP_ID = "wx8888888888888888"
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
IN_WECHAT = (
    "Mozilla/5.0 (Linux; Android 13; V2217A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F35) NetType/WIFI"
)


class WeChatPayCommon(PaymentHttpCommon):
    """WeChat Pay through the local API v3 simulator, with keys made here."""

    simulator_mode = "public_key"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.merchant_private, cls.merchant_public = new_rsa_key()
        cls.merchant_serial = new_merchant_certificate_serial()
        cls.apiv3_key = new_apiv3_key()
        cls.currency = cls._prepare_currency("CNY")
        cls.amount = 199.00
        cls.provider = cls._prepare_provider(
            "wechatpay",
            update_values={
                "wechatpay_mch_id": MCH_ID,
                "wechatpay_app_id": APP_ID,
                "wechatpay_serial_no": cls.merchant_serial,
                "wechatpay_private_key": cls.merchant_private,
                "wechatpay_apiv3_key": cls.apiv3_key,
            },
        )
        cls.payment_method_id = cls.env.ref("payment.payment_method_wechat_pay").id

    def setUp(self):
        super().setUp()
        self.simulator = self._start_simulator(self.simulator_mode)
        public_key_mode = self.simulator_mode == "public_key"
        self.provider.write(
            {
                "wechatpay_public_key": self.simulator.platform_public_key
                if public_key_mode
                else False,
                "wechatpay_public_key_id": self.simulator.public_key_id
                if public_key_mode
                else False,
                "wechatpay_gateway_url": self.simulator.base_url,
                "wechatpay_checkout": "auto",
                "state": "test",
            }
        )
        # the server's requests come from the simulator, not url_open: flush first
        self.env.flush_all()

    def _start_simulator(self, mode):
        simulator = WeChatPaySimulator(
            MCH_ID, APP_ID, self.merchant_public, self.merchant_serial, self.apiv3_key, mode=mode
        ).start()
        self.addCleanup(simulator.stop)
        return simulator

    def _state(self, tx):
        # the server's thread wrote it: read it afresh
        tx.invalidate_recordset()
        return tx.state

    def _open_order(self, reference, **values):
        """A transaction and its WeChat Pay order (a Native QR code: no browser)."""
        tx = self._create_transaction("redirect", reference=reference, **values)
        tx._get_specific_rendering_values({})
        self.env.flush_all()
        return tx

    def _pay(self, reference):
        """The shopper pays; WeChat Pay notifies the shop (answer status)."""
        self.env.flush_all()
        return self.simulator.pay(reference)
