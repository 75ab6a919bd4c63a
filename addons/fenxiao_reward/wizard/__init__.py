from . import fenxiao_reward_grant
