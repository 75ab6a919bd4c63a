-- A copy of the database never sends withdrawals to Alipay accounts.
UPDATE payment_provider
   SET alipay_transfer_enabled = false
 WHERE code = 'alipay';
