from . import test_shop_tour
from . import test_referral
from . import test_best_sellers
from . import test_stock_watch
from . import test_cart_share
from . import test_distributor_centre
from . import test_distributor_journey
from . import test_posters
