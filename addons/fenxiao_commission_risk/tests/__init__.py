from . import test_brushing
from . import test_utils
