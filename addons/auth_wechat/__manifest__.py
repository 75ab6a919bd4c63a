# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Sign In with WeChat",
    "summary": "WeChat sign-in: website QR code, official account web authorisation, "
    "mini-program code2session",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tools",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # auth_signup: a first sign-in creates the account as sign-up does
    # portal: shoppers link and unlink WeChat on their account security page
    # website: the sign-in pages are website pages
    # auth_phone_otp: its utils.local_path is the suite's one check of redirect targets
    "depends": ["auth_phone_otp", "auth_signup", "portal", "website"],
    "external_dependencies": {"python": ["wechatpy"]},
    "data": [
        "security/ir.model.access.csv",
        "views/auth_wechat_templates.xml",
        "views/res_config_settings_views.xml",
        "views/res_users_views.xml",
    ],
    "installable": True,
}
