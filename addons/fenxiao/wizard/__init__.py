from . import fenxiao_distributor_change
from . import fenxiao_tier_preview
