from . import test_db_backup
