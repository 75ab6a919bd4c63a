from . import address_cn_division
from . import res_partner
from . import website
