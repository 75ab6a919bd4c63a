from . import test_risk
from . import test_risk_races
