-- A copy of the database (odoo-bin neutralize) must not sign requests to
-- Alipay with the shop's key: payments, refunds and trade queries stop there.
UPDATE payment_provider
   SET alipay_app_private_key = NULL
 WHERE code = 'alipay';
