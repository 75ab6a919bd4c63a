from odoo import fields, models

from ..const import DEFAULT_LIMITS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    auth_phone_otp_provider = fields.Selection(
        [
            ("aliyun", "Aliyun SMS (阿里云短信)"),
            ("tencent", "Tencent Cloud SMS (腾讯云短信)"),
            ("log", "Server log (development only)"),
        ],
        string="SMS Service",
        default="log",
        config_parameter="auth_phone_otp.provider",
    )
    auth_phone_otp_aliyun_access_key_id = fields.Char(
        string="AccessKey ID", config_parameter="auth_phone_otp.aliyun_access_key_id"
    )
    auth_phone_otp_aliyun_access_key_secret = fields.Char(
        string="AccessKey Secret", config_parameter="auth_phone_otp.aliyun_access_key_secret"
    )
    auth_phone_otp_aliyun_sign_name = fields.Char(
        string="Aliyun Signature", config_parameter="auth_phone_otp.aliyun_sign_name"
    )
    auth_phone_otp_aliyun_template_code = fields.Char(
        string="Aliyun Template Code",
        config_parameter="auth_phone_otp.aliyun_template_code",
        help="A verification-code template with one variable, ${code}.",
    )
    auth_phone_otp_tencent_secret_id = fields.Char(
        string="SecretId", config_parameter="auth_phone_otp.tencent_secret_id"
    )
    auth_phone_otp_tencent_secret_key = fields.Char(
        string="SecretKey", config_parameter="auth_phone_otp.tencent_secret_key"
    )
    auth_phone_otp_tencent_sdk_app_id = fields.Char(
        string="SMS SdkAppId", config_parameter="auth_phone_otp.tencent_sdk_app_id"
    )
    auth_phone_otp_tencent_sign_name = fields.Char(
        string="Tencent Signature", config_parameter="auth_phone_otp.tencent_sign_name"
    )
    auth_phone_otp_tencent_template_id = fields.Char(
        string="Tencent Template ID",
        config_parameter="auth_phone_otp.tencent_template_id",
        help="A verification-code template with one parameter, {1}.",
    )
    auth_phone_otp_max_per_phone_hour = fields.Integer(
        string="Codes per Number per Hour",
        default=DEFAULT_LIMITS["max_per_phone_hour"],
        config_parameter="auth_phone_otp.max_per_phone_hour",
    )
    auth_phone_otp_max_per_ip_hour = fields.Integer(
        string="Codes per IP Address per Hour",
        default=DEFAULT_LIMITS["max_per_ip_hour"],
        config_parameter="auth_phone_otp.max_per_ip_hour",
    )
    auth_phone_otp_resend_seconds = fields.Integer(
        string="Seconds before Another Code",
        default=DEFAULT_LIMITS["resend_seconds"],
        config_parameter="auth_phone_otp.resend_seconds",
    )
