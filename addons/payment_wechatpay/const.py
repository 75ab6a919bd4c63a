"""WeChat Pay API v3: trade and refund states, checkout kinds and formats."""

# trade_state of notifications and of the order query
STATUS_MAPPING = {
    "pending": ("NOTPAY", "USERPAYING"),
    "done": ("SUCCESS",),
    # REFUND: paid, then (partly) refunded; the refunds are their own transactions
    "done_then_refunded": ("REFUND",),
    "cancel": ("CLOSED", "REVOKED"),
    "error": ("PAYERROR",),
}
# refund_status of refund answers, queries and notifications
REFUND_STATUS_MAPPING = {
    "pending": ("PROCESSING",),
    "done": ("SUCCESS",),
    # CLOSED: WeChat gave up; ABNORMAL: the money could not reach the buyer
    # (card cancelled...), the merchant must settle it by hand
    "error": ("CLOSED", "ABNORMAL"),
}
SUPPORTED_CURRENCIES = ("CNY",)
DEFAULT_PAYMENT_METHOD_CODES = {"wechat_pay"}
# WeChat's own browser: JSAPI pay through WeixinJSBridge
WECHAT_BROWSER_MARK = "MicroMessenger"
# other phone browsers: H5 pay (opens the WeChat app)
MOBILE_MARKS = ("Mobile", "Android", "iPhone")
# how long a notification's timestamp may lag behind: older ones are replays
NOTIFICATION_MAX_AGE_SECONDS = 300
API_BASE = "https://api.mch.weixin.qq.com"
# platform certificates downloaded from /v3/certificates are kept this long
CERTIFICATE_CACHE_SECONDS = 12 * 3600
# ... and downloaded again, at most this often, for a notification signed with an
# unknown one (a renewed certificate; a forger's serial is not worth more)
CERTIFICATE_REFRESH_SECONDS = 60
# a notification body is a few hundred bytes: anything far bigger is refused unread
MAX_NOTIFICATION_BYTES = 64 * 1024
