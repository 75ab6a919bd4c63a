from . import res_partner
from . import website
