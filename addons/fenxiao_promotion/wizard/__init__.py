from . import fenxiao_promotion_wizard
