from . import res_company
from . import res_config_settings
from . import fenxiao_payout_account
from . import fenxiao_commission_line
from . import payment_risk_event
from . import sale_order
