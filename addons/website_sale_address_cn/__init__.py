from . import controllers
from . import models

# Odoo's own format for China (base's res_country_data.xml), put back when
# the module leaves
ODOO_CN_ADDRESS_FORMAT = "%(country_name)s, %(zip)s\n%(state_name)s %(city)s %(street)s %(street2)s"


def _restore_cn_address_format(env):
    env.ref("base.cn").address_format = ODOO_CN_ADDRESS_FORMAT
