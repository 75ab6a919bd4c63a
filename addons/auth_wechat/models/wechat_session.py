import json
import time

from wechatpy.session import SessionStorage

CACHE_PREFIX = "auth_wechat.cache."
# (database, key) -> value fetched during a read-only transaction, stored by
# the next read/write one (Odoo retries a read-only page that writes)
_PENDING = {}


class ConfigParameterStorage(SessionStorage):
    """wechatpy's session storage in ir.config_parameter, shared by every
    worker: the official account's access token and JS-SDK ticket are
    fetched once per expiry, not per page (WeChat counts them daily).

    Values are written in the page's transaction. Shop pages are read-only
    transactions: the write makes Odoo retry the page read/write, and the
    value fetched meanwhile is kept in this worker until then, not fetched
    again."""

    def __init__(self, env):
        self.env = env

    def _param(self):
        return self.env["ir.config_parameter"].sudo()

    def get(self, key, default=None):
        raw = self._param().get_param(CACHE_PREFIX + key)
        pending = (self.env.cr.dbname, key)
        if not raw and pending in _PENDING:
            raw = _PENDING[pending]
            if not self.env.cr.readonly:
                self._param().set_param(CACHE_PREFIX + key, _PENDING.pop(pending))
        if not raw:
            return default
        entry = json.loads(raw)
        if entry.get("expires_at") and entry["expires_at"] < time.time():
            return default
        return entry["value"]

    def set(self, key, value, ttl=None):
        raw = json.dumps({"value": value, "expires_at": ttl and int(time.time()) + int(ttl)})
        _PENDING[(self.env.cr.dbname, key)] = raw
        self._param().set_param(CACHE_PREFIX + key, raw)
        _PENDING.pop((self.env.cr.dbname, key), None)

    def delete(self, key):
        self.set(key, None, ttl=-1)
