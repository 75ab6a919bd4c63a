from . import test_risk
