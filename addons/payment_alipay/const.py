"""Alipay's trade statuses, methods and formats."""

# trade_status of notifications and alipay.trade.query
STATUS_MAPPING = {
    "pending": ("WAIT_BUYER_PAY",),
    "done": ("TRADE_SUCCESS", "TRADE_FINISHED"),
    "cancel": ("TRADE_CLOSED",),
}
SUPPORTED_CURRENCIES = ("CNY",)
DEFAULT_PAYMENT_METHOD_CODES = {"alipay"}
# user agents that get WAP pay (opens the Alipay app) instead of page pay
MOBILE_MARKS = ("Mobile", "Android", "iPhone", "MicroMessenger")
API_SUCCESS = "10000"
# the open API gateway, by provider state (python-alipay-sdk's own defaults)
GATEWAY_URLS = {
    "enabled": "https://openapi.alipay.com/gateway.do",
    "test": "https://openapi-sandbox.dl.alipaydev.com/gateway.do",
}
# What a manager sees of a notification: all of it once Alipay's signature is
# checked, and of a forged one nothing that names a trade.
NOTIFICATION_SIGNED_KEYS = (
    "app_id",
    "out_trade_no",
    "trade_no",
    "trade_status",
    "total_amount",
    "notify_id",
)
NOTIFICATION_UNSIGNED_KEYS = ("app_id", "notify_type", "sign_type")
