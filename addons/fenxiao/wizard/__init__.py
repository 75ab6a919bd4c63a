from . import fenxiao_distributor_change
