from . import res_city
from . import res_partner
from . import website
