-- A copy of the database (odoo-bin neutralize) must not call WeChat Pay as the
-- merchant: without the merchant key and the APIv3 key it can neither sign a
-- request nor read a notification.
UPDATE payment_provider
   SET wechatpay_private_key = NULL,
       wechatpay_apiv3_key = NULL
 WHERE code = 'wechatpay';
