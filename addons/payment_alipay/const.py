"""Alipay's trade statuses, methods and formats."""

# trade_status of notifications and alipay.trade.query
STATUS_MAPPING = {
    "pending": ("WAIT_BUYER_PAY",),
    "done": ("TRADE_SUCCESS", "TRADE_FINISHED"),
    "cancel": ("TRADE_CLOSED",),
}
SUPPORTED_CURRENCIES = ("CNY",)
DEFAULT_PAYMENT_METHOD_CODES = {"alipay"}
PAGE_PAY = "alipay.trade.page.pay"  # desktop cashier, QR code or login
WAP_PAY = "alipay.trade.wap.pay"  # mobile browsers, opens the Alipay app
MOBILE_MARKS = ("Mobile", "Android", "iPhone", "MicroMessenger")
API_SUCCESS = "10000"
