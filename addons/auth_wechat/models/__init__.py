from . import auth_wechat_identity
from . import res_config_settings
from . import res_users
