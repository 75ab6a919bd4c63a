"""WeChat apps, scopes and limits of WeChat sign-in."""

# The three kinds of WeChat app a shop signs people in with, and their settings.
APP_KINDS = {
    # 网站应用 (open platform): QR code scanned with the phone, on a desktop
    "website": "website",
    # 公众号 (official account): web authorisation inside WeChat's browser
    "official_account": "official",
    # 小程序 (mini-program): wx.login's code, exchanged by the server
    "miniprogram": "miniprogram",
}
PARAM_PREFIX = "auth_wechat."
SCOPE_QR = "snsapi_login"
SCOPE_BASE = "snsapi_base"
SCOPE_USERINFO = "snsapi_userinfo"
# How long the state of an authorisation stays valid in the session.
STATE_MINUTES = 10
MAX_PENDING_STATES = 5
# How long a checked identity may be turned into a session.
LOGIN_TOKEN_MINUTES = 2
# WeChat's browser says so in its user agent.
WECHAT_BROWSER_MARK = "MicroMessenger"
# Avatars: WeChat serves them from these hosts; small images only.
AVATAR_HOST_SUFFIXES = (".qlogo.cn",)
AVATAR_MAX_BYTES = 1024 * 1024
