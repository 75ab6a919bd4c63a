from . import fenxiao_after_sales_review
