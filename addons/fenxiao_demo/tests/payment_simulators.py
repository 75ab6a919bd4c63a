"""The demo shop's WeChat Pay and Alipay, pointed at local simulators that pay
as a shopper's phone would, for browser tours."""

from odoo.addons.payment_alipay.tests.alipay_simulator import AlipaySimulator
from odoo.addons.payment_alipay.tests.alipay_simulator import new_rsa_key as new_alipay_key
from odoo.addons.payment_wechatpay.tests.wechatpay_simulator import (
    WeChatPaySimulator,
    new_apiv3_key,
    new_merchant_certificate_serial,
    new_rsa_key,
)

WECHATPAY_MCH_ID = "1900000109"
WECHATPAY_APP_ID = "wx8888888888888888"
ALIPAY_APP_ID = "2021000000000000"


def start_wechatpay(test, auto_pay_seconds=1.0):
    """WeChat Pay's simulator; each new order is paid ``auto_pay_seconds``
    later, as if the shopper scanned the QR code."""
    merchant_private, merchant_public = new_rsa_key()
    serial, apiv3_key = new_merchant_certificate_serial(), new_apiv3_key()
    simulator = WeChatPaySimulator(
        WECHATPAY_MCH_ID, WECHATPAY_APP_ID, merchant_public, serial, apiv3_key
    ).start()
    test.addCleanup(simulator.stop)
    simulator.auto_pay_seconds = auto_pay_seconds
    test.env.ref("payment_wechatpay.payment_provider_wechatpay").write(
        {
            "wechatpay_mch_id": WECHATPAY_MCH_ID,
            "wechatpay_app_id": WECHATPAY_APP_ID,
            "wechatpay_serial_no": serial,
            "wechatpay_private_key": merchant_private,
            "wechatpay_apiv3_key": apiv3_key,
            "wechatpay_public_key": simulator.platform_public_key,
            "wechatpay_public_key_id": simulator.public_key_id,
            "wechatpay_gateway_url": simulator.base_url,
            "state": "test",
            "is_published": True,
        }
    )
    test.env.flush_all()
    return simulator


def start_alipay(test):
    """Alipay's simulator, whose cashier pays at once and sends the browser back."""
    app_private, app_public = new_alipay_key()
    simulator = AlipaySimulator(ALIPAY_APP_ID, app_public).start()
    test.addCleanup(simulator.stop)
    simulator.auto_pay = True
    test.env.ref("payment_alipay.payment_provider_alipay").write(
        {
            "alipay_app_id": ALIPAY_APP_ID,
            "alipay_app_private_key": app_private,
            "alipay_public_key": simulator.alipay_public_key,
            "alipay_gateway_url": simulator.gateway,
            "state": "test",
            "is_published": True,
        }
    )
    test.env.flush_all()
    return simulator
