from . import referral
from . import shop
from . import cart_share
from . import portal
