from . import fenxiao_payout_gateway
from . import fenxiao_withdrawal
from . import payment_provider
