from . import fenxiao_commission_demo
