from . import test_alipay_payout
from . import test_payout_race
