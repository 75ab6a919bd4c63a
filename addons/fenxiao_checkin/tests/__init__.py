from . import test_checkin, test_checkin_portal
