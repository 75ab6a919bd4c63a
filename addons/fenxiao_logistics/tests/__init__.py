from . import test_commission_freeze, test_push, test_races, test_receipt, test_tracking
