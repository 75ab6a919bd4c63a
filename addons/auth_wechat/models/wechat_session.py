import json
import logging
import time

import psycopg2
from wechatpy.session import SessionStorage

_logger = logging.getLogger(__name__)

CACHE_PREFIX = "auth_wechat.cache."


class ConfigParameterStorage(SessionStorage):
    """wechatpy's session storage in ir.config_parameter, shared by every
    worker: the official account's access token and JS-SDK ticket are
    fetched once per expiry, not per page (WeChat counts them daily).

    A value is written in its own transaction, committed at once: it stays
    even if the page's transaction is rolled back or read-only. It is kept
    in memory too, as this transaction's snapshot does not see that write.
    """

    def __init__(self, env):
        self.env = env
        self._memory = {}

    def get(self, key, default=None):
        if key in self._memory:
            raw = self._memory[key]
        else:
            raw = self.env["ir.config_parameter"].sudo().get_param(CACHE_PREFIX + key)
        if not raw:
            return default
        entry = json.loads(raw)
        if entry.get("expires_at") and entry["expires_at"] < time.time():
            return default
        return entry["value"]

    def set(self, key, value, ttl=None):
        raw = json.dumps({"value": value, "expires_at": ttl and int(time.time()) + int(ttl)})
        self._memory[key] = raw
        try:
            with self.env.registry.cursor() as cr:
                self.env(cr=cr)["ir.config_parameter"].sudo().set_param(CACHE_PREFIX + key, raw)
        except psycopg2.errors.SerializationFailure:
            # another worker stored a fresh one at the same moment: theirs stays
            _logger.info("WeChat: %s stored by another worker meanwhile", key)

    def delete(self, key):
        self.set(key, None, ttl=-1)
