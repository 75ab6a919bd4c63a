from . import fenxiao_product_review_reject
