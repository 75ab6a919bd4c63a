from . import fenxiao_commission_demo
from . import stock_picking_demo
from . import rma_demo
from . import fenxiao_funnel_demo
