from . import test_promotion_templates
from . import test_welcome_coupon
