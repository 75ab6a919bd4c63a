from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The units taken of a flash sale were one counter on the sale's row
    (``fenxiao_flash_sale.quantity_reserved``); they are stock slots now, and
    each shopper's units a row of ``fenxiao.flash.sale.shopper``. Count them
    from the live reservations (and the old counter when it says more), then
    drop the old column: nothing reads it any more, and its CHECK against the
    cap would hold the cap to a stale count."""
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'fenxiao_flash_sale' AND column_name = 'quantity_reserved'"
    )
    if not cr.fetchone():
        return
    cr.execute("SELECT id, quantity_reserved FROM fenxiao_flash_sale")
    taken = {sale_id: reserved or 0 for sale_id, reserved in cr.fetchall()}
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    env["fenxiao.flash.sale"].browse(list(taken))._fenxiao_rebuild_counts(taken)
    env.flush_all()
    cr.execute("ALTER TABLE fenxiao_flash_sale DROP COLUMN quantity_reserved")
