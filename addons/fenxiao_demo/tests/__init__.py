from . import test_demo_merchant
from . import test_shop_tour
from . import test_distributor_journey
from . import test_pay_on_phone
from . import test_hostile_input
from . import test_security_headers
from . import test_shop_from_china
from . import test_chinese_pages
