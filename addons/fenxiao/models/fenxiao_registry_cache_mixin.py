from odoo import api, models


class FenxiaoRegistryCacheMixin(models.AbstractModel):
    """Records a registry cache (``tools.ormcache``) is worked out from:
    creating or deleting one clears the cache, and so does a write that
    ``_fenxiao_write_clears_cache`` says matters.

    A model extended by several modules, each caching something else from
    it, gets the mixin from each: each extension answers for the fields its
    cache reads (True: any write) and asks ``super()`` for the rest.
    """

    _name = "fenxiao.registry.cache.mixin"
    _description = "Clears the Registry Cache When Changed"

    def _fenxiao_write_clears_cache(self, vals):
        return False

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        if self._fenxiao_write_clears_cache(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
