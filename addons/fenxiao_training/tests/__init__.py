from . import test_tier_courses
from . import test_centre_courses
from . import test_training_tour
