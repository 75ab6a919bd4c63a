from . import test_demo_merchant
from . import test_security
