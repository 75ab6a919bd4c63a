from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Unpaid payments are closed by payment_risk's one cron now
    (``payment_risk.ir_cron_close_expired_payments``): the provider's own goes.
    It was noupdate, so the update would have kept it, calling a method gone."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("payment_wechatpay.ir_cron_wechatpay_close_expired", raise_if_not_found=False)
    if cron:
        cron.unlink()
