from . import fenxiao_tier
from . import fenxiao_distributor
