from . import fenxiao_reward_rule
from . import fenxiao_reward
