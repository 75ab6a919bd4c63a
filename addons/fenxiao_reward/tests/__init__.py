from . import test_rewards
