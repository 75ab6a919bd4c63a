import base64
import logging
from urllib.parse import urlsplit

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessDenied, ValidationError

from ..const import AVATAR_HOST_SUFFIXES, AVATAR_MAX_BYTES, PARAM_PREFIX

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    wechat_identity_ids = fields.One2many(
        "auth.wechat.identity",
        "user_id",
        string="WeChat Accounts",
        readonly=True,
        groups="base.group_system",
    )

    @api.model
    def _wechat_avatar(self, url):
        """The profile picture, base64, when ``url`` is WeChat's (or the
        configured simulator's) and answers a small image; else None."""
        if not url or not isinstance(url, str):
            return None
        host = urlsplit(url).hostname or ""
        api_base = self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + "api_base")
        allowed = host.endswith(AVATAR_HOST_SUFFIXES) or (
            api_base and host == urlsplit(api_base).hostname
        )
        if not allowed:
            return None
        try:
            response = requests.get(url, timeout=5, stream=True)
            data = response.raw.read(AVATAR_MAX_BYTES + 1, decode_content=True)
        except requests.RequestException:
            return None
        content_type = response.headers.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("image/"):
            return None
        if len(data) > AVATAR_MAX_BYTES:
            return None
        return base64.b64encode(data)

    @api.model
    def _wechat_signup(self, app_kind, appid, account, profile=None):
        """A portal user for a WeChat account seen for the first time, named
        after its nickname (with its avatar) when the profile is known.
        Raises SignupError when the website does not let visitors sign up."""
        profile = profile or {}
        nickname = (profile.get("nickname") or "").strip()[:64]
        values = {
            "login": f"wechat_{account['unionid'] or account['openid']}",
            "name": nickname or self.env._("WeChat User"),
        }
        avatar = self._wechat_avatar(profile.get("headimgurl"))
        if avatar:
            values["image_1920"] = avatar
        user = self.sudo()._signup_create_user(values)
        user.sudo()._wechat_link(app_kind, appid, account, nickname)
        return user

    def _wechat_link(self, app_kind, appid, account, nickname=None):
        """Link a WeChat account to this user; refused (ValidationError) when
        it signs someone else in."""
        self.ensure_one()
        Identity = self.env["auth.wechat.identity"].sudo()
        existing = Identity.search(
            [("appid", "=", appid), ("openid", "=", account["openid"])], limit=1
        )
        if existing:
            if existing.user_id != self:
                raise ValidationError(
                    self.env._("This WeChat account is already linked to another user.")
                )
            return existing
        return Identity.create(
            {
                "user_id": self.id,
                "app_kind": app_kind,
                "appid": appid,
                "openid": account["openid"],
                "unionid": account.get("unionid") or False,
                "nickname": nickname or False,
            }
        )

    def _check_credentials(self, credential, env):
        try:
            return super()._check_credentials(credential, env)
        except AccessDenied:
            if credential.get("type") != "wechat" or not env.get("interactive", True):
                raise
            user = self.env.user
            if user.active and self.env["auth.wechat.identity"].sudo()._consume_login_token(
                user, credential.get("token")
            ):
                return {"uid": user.id, "auth_method": "wechat", "mfa": "default"}
            raise
