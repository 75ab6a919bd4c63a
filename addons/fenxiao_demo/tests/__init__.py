from . import test_demo_merchant
