from . import test_commission_freeze, test_push, test_receipt, test_tracking
