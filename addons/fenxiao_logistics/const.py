"""Kuaidi100 (快递100) wire constants: endpoints, answer codes and parcel states."""

DEFAULT_API_URL = "https://poll.kuaidi100.com"
SUBSCRIBE_PATH = "/poll"
QUERY_PATH = "/poll/query.do"
PUSH_ROUTE = "/fenxiao_logistics/kuaidi100/push"

TIMEOUT = 10  # seconds for one call to Kuaidi100

# A push's form is a few KB (one parcel's history); anything far larger is refused unread.
MAX_PUSH_BYTES = 256 * 1024
MAX_EVENTS = 500
MAX_CONTEXT = 2000

# returnCode of the subscription answer
SUBSCRIBED_CODES = ("200", "501")  # 501: already subscribed (重复订阅)

# Kuaidi100's parcel states (``state`` of a result, first digits of an event's
# ``statusCode`` with resultv2=4).
PARCEL_STATES = [
    ("1", "Picked up"),  # 揽收
    ("0", "In transit"),  # 在途
    ("5", "Out for delivery"),  # 派件
    ("3", "Delivered"),  # 签收
    ("2", "Problem"),  # 疑难
    ("4", "Returned to sender, signed"),  # 退签
    ("6", "Returning"),  # 退回
    ("7", "Forwarded"),  # 转投
    ("8", "In customs"),  # 清关
    ("14", "Refused"),  # 拒签
]
STATE_CODES = {code for code, _label in PARCEL_STATES}
STATE_RECEIVED = "3"

# Kuaidi100 times are Beijing time, without a zone.
KUAIDI100_TZ = "Asia/Shanghai"

# Carriers that ask for the receiver's phone (last four digits) to show a history.
PHONE_CARRIERS = ("shunfeng", "shunfengkuaiyun", "zhongtong", "fengwang")
