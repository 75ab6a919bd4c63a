# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Sign In with a Mobile Number and SMS Code",
    "summary": "Mainland mobile numbers and 6-digit SMS codes (Aliyun, Tencent Cloud) "
    "instead of passwords",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tools",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # auth_signup: a first sign-in creates the account as sign-up does
    # website: the sign-in page is a website page, at phone width
    "depends": ["auth_signup", "website"],
    "external_dependencies": {
        "python": ["alibabacloud-dysmsapi20170525", "tencentcloud-sdk-python-sms"],
    },
    "data": [
        "security/ir.model.access.csv",
        "views/auth_phone_otp_templates.xml",
        "views/res_config_settings_views.xml",
        "views/res_users_views.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "auth_phone_otp/static/src/js/**/*",
        ],
        "web.assets_tests": [
            "auth_phone_otp/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
