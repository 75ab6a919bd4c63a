from . import referral
from . import shop
