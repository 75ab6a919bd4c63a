from . import models
from . import report
from . import wizard


def _post_init_hook(env):
    # Every existing company gets its commission journal and accounts; new
    # companies get theirs when their chart of accounts is installed.
    env["res.company"].search([])._fenxiao_commission_setup_accounting()
