from . import test_rewards
from . import test_reward_portal
