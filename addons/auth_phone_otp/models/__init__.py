from . import auth_phone_otp_code
from . import res_config_settings
from . import res_users
from . import auth_phone_otp_throttle
