from . import test_best_sellers
from . import test_stock_watch
from . import test_promotion_badges
from . import test_product_review
from . import test_reward_description
