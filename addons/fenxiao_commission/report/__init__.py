from . import fenxiao_sale_report
from . import fenxiao_funnel_report
