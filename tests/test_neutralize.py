"""A neutralized copy of the shop (odoo-bin neutralize) talks to no real service.

Odoo runs each installed module's data/neutralize.sql on a copy meant for
testing or staging; the suite's modules add theirs for WeChat Pay, Alipay,
WeChat transfers, WeChat sign-in and SMS. The test neutralizes the database
inside its transaction, which is rolled back.
"""

from odoo.modules.neutralize import neutralize_database
from odoo.tests import TransactionCase


class TestNeutralize(TransactionCase):
    test_tags = {"standard"}

    def test_copies_lose_the_keys_to_real_services(self):
        env = self.env
        Provider = env["payment.provider"]
        wechatpay = Provider.search([("code", "=", "wechatpay")], limit=1)
        alipay = Provider.search([("code", "=", "alipay")], limit=1)
        # Straight into the table: the providers' constraints want real keys,
        # and what is tested here is only that neutralizing clears them.
        env.cr.execute(
            """
            UPDATE payment_provider
               SET state = 'enabled',
                   wechatpay_private_key = 'merchant-private-key',
                   wechatpay_apiv3_key = '0123456789abcdef0123456789abcdef',
                   wechatpay_transfer_enabled = true,
                   alipay_app_private_key = 'app-private-key'
             WHERE id IN %s
            """,
            [(wechatpay.id, alipay.id)],
        )
        params = env["ir.config_parameter"].sudo()
        for key in ("website", "official", "miniprogram"):
            params.set_param(f"auth_wechat.{key}_secret", "wechat-secret")
        params.set_param("auth_phone_otp.provider", "aliyun")
        params.set_param("auth_phone_otp.aliyun_access_key_secret", "aliyun-secret")
        params.set_param("auth_phone_otp.tencent_secret_key", "tencent-secret")
        env.flush_all()

        neutralize_database(env.cr)
        env.invalidate_all()

        self.assertEqual(wechatpay.state, "disabled", "Odoo's payment neutralization")
        self.assertFalse(wechatpay.wechatpay_private_key)
        self.assertFalse(wechatpay.wechatpay_apiv3_key)
        self.assertFalse(wechatpay.wechatpay_transfer_enabled, "no withdrawal leaves a copy")
        self.assertFalse(alipay.alipay_app_private_key)
        for key in ("website", "official", "miniprogram"):
            self.assertFalse(params.get_param(f"auth_wechat.{key}_secret"))
        self.assertEqual(params.get_param("auth_phone_otp.provider"), "log")
        self.assertFalse(params.get_param("auth_phone_otp.aliyun_access_key_secret"))
        self.assertFalse(params.get_param("auth_phone_otp.tencent_secret_key"))
