-- A copy of the database never sends withdrawals to WeChat wallets.
UPDATE payment_provider
   SET wechatpay_transfer_enabled = false
 WHERE code = 'wechatpay';
