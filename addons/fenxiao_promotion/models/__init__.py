from . import res_company
from . import res_config_settings
from . import loyalty_card
from . import res_users
