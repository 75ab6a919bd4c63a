-- A copy of the database does not sign shoppers in with the shop's WeChat apps.
DELETE FROM ir_config_parameter
 WHERE key IN ('auth_wechat.website_secret',
               'auth_wechat.official_secret',
               'auth_wechat.miniprogram_secret');
