from . import test_commission_amounts
from . import test_reversals
from . import test_settlement
from . import test_withdrawal
from . import test_races
from . import test_security
from . import test_estimated_commission
from . import test_after_payment
from . import test_hold
from . import test_income_tax
from . import test_review_outcomes
<<<<<<< HEAD
from . import test_query_budget
=======
from . import test_reports
>>>>>>> i20-dashboard
