from . import fenxiao_flash_sale_report
