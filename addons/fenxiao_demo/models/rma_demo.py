import io
import logging

from PIL import Image, ImageDraw, ImageFilter

from odoo import api, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)


def _cracked_bottle_png():
    """A shopper's photo of a damaged bottle: a crack down it, its cap
    off to one side, a drop on the table. Drawn here, no stock image."""
    size = 480
    image = Image.new("RGB", (size, size), "#e9e4dc")
    draw = ImageDraw.Draw(image)
    # the table's edge and a soft shadow
    draw.rectangle([0, 330, size, size], fill="#cdbfae")
    shadow = Image.new("L", (size, size), 0)
    ImageDraw.Draw(shadow).ellipse([140, 330, 320, 370], fill=120)
    image.paste("#9b8c7b", mask=shadow.filter(ImageFilter.GaussianBlur(10)))
    # the bottle, its label and the crack
    draw.rounded_rectangle([165, 150, 295, 350], radius=30, fill="#7a4a2a")
    draw.rectangle([205, 112, 255, 152], fill="#5c3720")
    draw.rounded_rectangle([185, 215, 275, 285], radius=8, fill="#f1e3d3")
    draw.line([(240, 150), (226, 200), (244, 250), (228, 300), (238, 350)], fill="#2b1a0f", width=4)
    # the cap, fallen beside it, and what leaked
    draw.rounded_rectangle([320, 300, 400, 345], radius=12, fill="#e6c08a")
    draw.ellipse([90, 338, 170, 366], fill="#c98f55")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


class Rma(models.Model):
    _inherit = "rma"

    @api.model
    def _fenxiao_demo_after_sales(self):
        """王芳 asks, as she would on her phone, to return one item of her
        newest shipped order (质量问题, with a photo): the request waits for
        review. Nothing when she has no such order."""
        if not self.env.su:
            raise AccessError(self.env._("Only the installer loads demo data."))
        shopper = self.env.ref("fenxiao_demo.partner_demo_shopper", raise_if_not_found=False)
        if not shopper:
            return False
        picking = self.env["stock.picking"].search(
            [
                ("picking_type_code", "=", "outgoing"),
                ("state", "=", "done"),
                ("sale_id.partner_id", "=", shopper.id),
            ],
            order="date_done desc, id desc",
            limit=1,
        )
        order = picking.sale_id
        # an item not given back already (the commission demo credits one)
        line = order.order_line.filtered(
            lambda sol: not sol.display_type
            and not sol.is_delivery
            and sol.price_total > 0
            and not sol.invoice_lines.filtered(lambda aml: aml.move_id.move_type == "out_refund")
        )[:1]
        if not line:
            return False
        # the shop's records are written in Chinese, as its staff would
        lang = "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else self.env.lang
        rma = self.with_context(lang=lang)
        try:
            rma._fenxiao_request(
                order,
                shopper,
                [
                    {
                        "line_id": line.id,
                        "quantity": 1,
                        "operation_id": rma.env.ref(
                            "fenxiao_after_sales.rma_operation_return_refund"
                        ).id,
                        "reason_id": self.env.ref("fenxiao_after_sales.reason_quality").id,
                        "description": rma.env._(
                            "The bottle arrived with a crack down its side and the cap was "
                            "loose; some of it leaked into the box."
                        ),
                        "photos": [("cracked_bottle.png", _cracked_bottle_png())],
                    }
                ],
            )
        except UserError as error:
            _logger.warning("Demo after-sales request for %s skipped: %s", order.name, error)
            return False
        return True
