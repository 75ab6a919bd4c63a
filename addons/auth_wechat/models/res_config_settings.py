from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    auth_wechat_website_appid = fields.Char(
        string="Website App AppID", config_parameter="auth_wechat.website_appid"
    )
    auth_wechat_website_secret = fields.Char(
        string="Website App AppSecret", config_parameter="auth_wechat.website_secret"
    )
    auth_wechat_official_appid = fields.Char(
        string="Official Account AppID", config_parameter="auth_wechat.official_appid"
    )
    auth_wechat_official_secret = fields.Char(
        string="Official Account AppSecret", config_parameter="auth_wechat.official_secret"
    )
    auth_wechat_miniprogram_appid = fields.Char(
        string="Mini-program AppID", config_parameter="auth_wechat.miniprogram_appid"
    )
    auth_wechat_miniprogram_secret = fields.Char(
        string="Mini-program AppSecret", config_parameter="auth_wechat.miniprogram_secret"
    )
