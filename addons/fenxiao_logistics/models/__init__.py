from . import (
    fenxiao_parcel_carrier,
    fenxiao_parcel_event,
    res_company,
    res_config_settings,
    sale_order,
    stock_picking,
)
