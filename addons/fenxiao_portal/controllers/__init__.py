from . import portal
from . import referral
from . import share
from . import cart_share
