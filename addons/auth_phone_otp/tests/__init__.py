from . import test_local_path
from . import test_phone_otp
from . import test_phone_login_http
from . import test_sms_provider_unit
from . import test_sms_services
from . import test_phone_otp_races
