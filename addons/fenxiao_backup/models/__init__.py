from . import db_backup
from . import res_config_settings
