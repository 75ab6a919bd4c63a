from . import test_shop_tour
