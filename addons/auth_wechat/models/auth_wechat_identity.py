import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..const import APP_KINDS, LOGIN_TOKEN_MINUTES, PARAM_PREFIX
from .wechat_client import WeChatError, WeChatJSSDK, WeChatLogin
from .wechat_session import ConfigParameterStorage

_logger = logging.getLogger(__name__)


class AuthWechatIdentity(models.Model):
    """A WeChat account (one app's openid, and the open platform's unionid
    when the app has one) that signs a user in.

    An openid is unique per app; a unionid names one person across the apps
    of one open platform account, so all identities with a unionid belong to
    one user. The one-time login token (hashed, two minutes) turns a checked
    identity into a session, as auth_oauth does with its access token; WeChat's
    own access token never leaves the server and is not stored.
    """

    _name = "auth.wechat.identity"
    _description = "WeChat Identity"
    _order = "id desc"
    _rec_name = "nickname"

    user_id = fields.Many2one(
        "res.users", required=True, ondelete="cascade", index=True, readonly=True
    )
    app_kind = fields.Selection(
        [
            ("website", "Website (QR code)"),
            ("official_account", "Official Account"),
            ("miniprogram", "Mini-program"),
        ],
        required=True,
        readonly=True,
    )
    appid = fields.Char(string="AppID", required=True, readonly=True)
    openid = fields.Char(string="OpenID", required=True, readonly=True)
    unionid = fields.Char(string="UnionID", index=True, readonly=True)
    nickname = fields.Char(readonly=True)
    login_token_hash = fields.Char(readonly=True, groups="base.group_system")
    login_token_expiry = fields.Datetime(readonly=True, groups="base.group_system")

    _sql_constraints = [
        (
            "app_openid_uniq",
            "unique(appid, openid)",
            "This WeChat account is already linked to a user.",
        )
    ]

    @api.constrains("unionid", "user_id")
    def _check_unionid_one_user(self):
        for identity in self.filtered("unionid"):
            others = self.sudo().search(
                [("unionid", "=", identity.unionid), ("user_id", "!=", identity.user_id.id)],
                limit=1,
            )
            if others:
                raise ValidationError(
                    self.env._("This WeChat account is already linked to another user.")
                )

    @api.model
    def _client(self, app_kind):
        """(appid, WeChatLogin) of one of the shop's WeChat apps, from the
        settings; UserError when that app is not set up."""
        params = self.env["ir.config_parameter"].sudo()
        prefix = PARAM_PREFIX + APP_KINDS[app_kind]
        appid = params.get_param(f"{prefix}_appid")
        secret = params.get_param(f"{prefix}_secret")
        if not appid or not secret:
            raise UserError(self.env._("Signing in with WeChat is not set up on this shop."))
        client = WeChatLogin(
            appid,
            secret,
            # a local simulator in tests and demos; WeChat's servers otherwise
            api_base=params.get_param(PARAM_PREFIX + "api_base") or None,
            open_base=params.get_param(PARAM_PREFIX + "open_base") or None,
        )
        return appid, client

    @api.model
    def _wechat_jssdk_config(self, url):
        """What a page at ``url`` passes to WeChat's ``wx.config`` to set how
        it is shared, signed with the official account's JS-SDK ticket; an
        empty dict when the official account is not set up or WeChat did not
        answer (the page is then shared as WeChat shows it by default)."""
        if not self._is_configured("official_account"):
            return {}
        params = self.env["ir.config_parameter"].sudo()
        prefix = PARAM_PREFIX + APP_KINDS["official_account"]
        jssdk = WeChatJSSDK(
            params.get_param(f"{prefix}_appid"),
            params.get_param(f"{prefix}_secret"),
            ConfigParameterStorage(self.env),
            api_base=params.get_param(PARAM_PREFIX + "api_base") or None,
        )
        try:
            return jssdk.config(url)
        except WeChatError as error:
            _logger.warning("WeChat JS-SDK: no ticket: %s", error)
            return {}

    @api.model
    def _is_configured(self, app_kind):
        params = self.env["ir.config_parameter"].sudo()
        prefix = PARAM_PREFIX + APP_KINDS[app_kind]
        return bool(params.get_param(f"{prefix}_appid") and params.get_param(f"{prefix}_secret"))

    @api.model
    def _find(self, appid, openid, unionid=None):
        """The identity of a WeChat account: by unionid across the open
        platform's apps when there is one, else by this app's openid."""
        Identity = self.sudo()
        identity = Identity.search([("appid", "=", appid), ("openid", "=", openid)], limit=1)
        if not identity and unionid:
            identity = Identity.search([("unionid", "=", unionid)], limit=1)
        return identity

    @api.model
    def _hash(self, value):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()

    def _issue_login_token(self):
        self.ensure_one()
        token = secrets.token_urlsafe(32)
        self.sudo().write(
            {
                "login_token_hash": self._hash(token),
                "login_token_expiry": fields.Datetime.now()
                + timedelta(minutes=LOGIN_TOKEN_MINUTES),
            }
        )
        return token

    @api.model
    def _consume_login_token(self, user, token):
        """True once for a token issued to one of ``user``'s identities."""
        if not token or not isinstance(token, str) or len(token) > 128:
            return False
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT id FROM auth_wechat_identity
             WHERE user_id = %s AND login_token_hash = %s AND login_token_expiry > %s
               FOR UPDATE
            """,
            [user.id, self._hash(token), fields.Datetime.now()],
        )
        row = self.env.cr.fetchone()
        if not row:
            return False
        identity = self.sudo().browse(row[0])
        identity.write({"login_token_hash": False, "login_token_expiry": False})
        identity.flush_recordset()
        return True
