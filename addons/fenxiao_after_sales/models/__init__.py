from . import fenxiao_after_sales_reason
from . import res_company
from . import res_config_settings
from . import rma_operation
from . import sale_order
from . import rma
from . import payment_transaction
