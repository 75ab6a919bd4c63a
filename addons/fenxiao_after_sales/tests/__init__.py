from . import test_portal
from . import test_races
from . import test_refund
from . import test_request
from . import test_review_figures
