from . import test_wechat_login
from . import test_wechat_client
