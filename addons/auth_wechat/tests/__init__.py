from . import test_wechat_login
from . import test_wechat_client
from . import test_wechat_jssdk
