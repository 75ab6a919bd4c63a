from . import (
    fenxiao_flash_sale,
    fenxiao_flash_sale_reservation,
    fenxiao_flash_sale_shopper,
    fenxiao_flash_sale_slot,
    ir_http,
    product_template,
    sale_order,
    sale_order_line,
)
