from . import test_wechatpay_payout
