from . import (
    test_flash_sale_cart,
    test_flash_sale_commission,
    test_flash_sale_races,
    test_flash_sale_report,
    test_flash_sale_shop,
    test_flash_sale_slots,
)
