from . import fenxiao_checkin, res_company, res_config_settings
