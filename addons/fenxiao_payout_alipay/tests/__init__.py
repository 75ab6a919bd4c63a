from . import test_alipay_payout
