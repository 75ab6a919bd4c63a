from . import test_flash_sale_dashboard
