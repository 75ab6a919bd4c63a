-- A copy of the database sends no text messages: the log provider (which only
-- works in development and test mode) replaces Aliyun or Tencent Cloud, and
-- their keys go.
UPDATE ir_config_parameter
   SET value = 'log'
 WHERE key = 'auth_phone_otp.provider';
DELETE FROM ir_config_parameter
 WHERE key IN ('auth_phone_otp.aliyun_access_key_secret',
               'auth_phone_otp.tencent_secret_key');
