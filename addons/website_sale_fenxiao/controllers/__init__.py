from . import referral
