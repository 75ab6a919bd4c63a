from . import test_address_cn
from . import test_address_format
