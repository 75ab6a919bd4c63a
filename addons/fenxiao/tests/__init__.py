from . import test_network
from . import test_security
from . import test_tiers
from . import test_tier_rules
from . import test_reviews
