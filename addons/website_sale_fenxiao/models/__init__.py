from . import loyalty_reward
from . import payment_transaction
from . import product_template
from . import res_company
from . import res_config_settings
from . import stock_move
from . import website
