from . import (
    fenxiao_flash_sale,
    fenxiao_flash_sale_reservation,
    ir_http,
    product_template,
    sale_order,
    sale_order_line,
)
