from . import fenxiao_distributor
