import io
import logging

from PIL import Image, ImageDraw, ImageFilter

from odoo import api, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)


def _cracked_jar_png():
    """A shopper's photo of the cream jar: the lid off to one side, a crack
    down the jar, cream on the table. Drawn here, no stock image."""
    size = 480
    image = Image.new("RGB", (size, size), "#e9e4dc")
    draw = ImageDraw.Draw(image)
    # the table's edge and a soft shadow
    draw.rectangle([0, 330, size, size], fill="#cdbfae")
    shadow = Image.new("L", (size, size), 0)
    ImageDraw.Draw(shadow).ellipse([110, 330, 330, 372], fill=120)
    image.paste("#9b8c7b", mask=shadow.filter(ImageFilter.GaussianBlur(10)))
    # the jar, its label and the crack
    draw.rounded_rectangle([120, 200, 320, 350], radius=28, fill="#7a4a2a")
    draw.rounded_rectangle([150, 245, 290, 300], radius=8, fill="#f1e3d3")
    draw.line([(235, 200), (222, 240), (240, 275), (226, 318), (238, 350)], fill="#2b1a0f", width=4)
    # the lid, fallen beside it, and the cream that came out
    draw.ellipse([300, 300, 430, 350], fill="#c9a27e")
    draw.rounded_rectangle([310, 280, 420, 325], radius=14, fill="#e6c08a")
    draw.ellipse([80, 340, 170, 372], fill="#fbf4ea")
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
        line = order.order_line.filtered(
            lambda sol: not sol.display_type and not sol.is_delivery and sol.price_total > 0
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
                            "The jar arrived with a crack down its side and the lid was "
                            "loose; some cream leaked into the box."
                        ),
                        "photos": [("cracked_jar.png", _cracked_jar_png())],
                    }
                ],
            )
        except UserError as error:
            _logger.warning("Demo after-sales request for %s skipped: %s", order.name, error)
            return False
        return True
