import base64
import io
import logging
import os
import shutil
import subprocess
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont, ImageOps

from odoo import models

_logger = logging.getLogger(__name__)

# WeChat's usual share-poster size (portrait, 2x of a 375 pt phone).
POSTER_SIZE = (750, 1334)
# Where the QR code sits on the poster: a square on integer module sizes, so
# that every module stays sharp when WeChat's scanner reads a screenshot.
QR_TOP = 720
QR_SIDE = 400
# The product poster: a square photo on top, the QR code bottom right.
PRODUCT_PHOTO_SIDE = 690
PRODUCT_QR_SIDE = 300
BRAND_COLOUR = (214, 51, 132)  # the shop's rose
INK = (33, 37, 41)
MUTED = (108, 117, 125)
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


@lru_cache(maxsize=1)
def cjk_font_path():
    """A font file that draws Chinese, or None (posters then fall back to
    Pillow's own font, which cannot: the README says to install fonts-noto-cjk)."""
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            return path
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}", "sans-serif:lang=zh-cn"],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found and os.path.exists(found):
            return found
    _logger.warning("No Chinese font found for posters: install fonts-noto-cjk.")
    return None


def font(size):
    path = cjk_font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def wrap(text, face, width, max_lines):
    """Lines of ``text`` no wider than ``width``: per character, which suits
    Chinese (no spaces) and is acceptable for Latin; an ellipsis when cut."""
    lines, line = [], ""
    for char in text or "":
        if face.getlength(line + char) > width:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and face.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


class FenxiaoPoster(models.AbstractModel):
    _name = "fenxiao.poster"
    _description = "Share Posters"

    def _qr_image(self, url, side):
        """A QR code of ``url`` (error correction M), as large as fits ``side``
        on whole pixels per module."""
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
        code.add_data(url)
        code.make(fit=True)
        modules = len(code.get_matrix())
        code.box_size = max(1, side // modules)
        return code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")

    def _qr_png(self, url, side=440):
        return self._png(self._qr_image(url, side))

    @staticmethod
    def _png(image):
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()

    @staticmethod
    def _image_from_field(value):
        if not value:
            return None
        try:
            return Image.open(io.BytesIO(base64.b64decode(value))).convert("RGBA")
        except (OSError, ValueError):
            return None

    def _centered(self, draw, y, text, face, fill):
        width = draw.textlength(text, font=face)
        draw.text(((POSTER_SIZE[0] - width) / 2, y), text, font=face, fill=fill)

    def _invite_poster_png(self, distributor, url):
        """The invitation poster: the shop's branding, the distributor's name and
        a large QR code of ``url``, in the distributor's language."""
        distributor = distributor.sudo()
        lang = distributor.partner_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        website = self.env["website"].get_current_website()
        shop = website.name or distributor.company_id.name
        poster = Image.new("RGB", POSTER_SIZE, "white")
        draw = ImageDraw.Draw(poster)
        # brand band with the logo and the shop's name
        draw.rectangle([0, 0, POSTER_SIZE[0], 420], fill=BRAND_COLOUR)
        logo = self._image_from_field(website.logo or distributor.company_id.logo)
        if logo:
            logo = ImageOps.contain(logo, (360, 120))
            plate = Image.new("RGBA", (logo.width + 40, logo.height + 30), (255, 255, 255, 255))
            plate.paste(logo, (20, 15), logo)
            poster.paste(plate, ((POSTER_SIZE[0] - plate.width) // 2, 60), plate)
        self._centered(draw, 240, shop, font(44), "white")
        headline = env._("Join %(shop)s and earn with me", shop=shop)
        for index, line in enumerate(wrap(headline, font(34), 640, 2)):
            self._centered(draw, 310 + index * 46, line, font(34), "white")
        # who invites
        avatar = self._image_from_field(distributor.partner_id.image_128)
        if avatar:
            avatar = ImageOps.fit(avatar, (140, 140))
            mask = Image.new("L", (140, 140), 0)
            ImageDraw.Draw(mask).ellipse([0, 0, 139, 139], fill=255)
            poster.paste(avatar, ((POSTER_SIZE[0] - 140) // 2, 470), mask)
        for index, line in enumerate(wrap(distributor.name, font(40), 640, 1)):
            self._centered(draw, 630 + index * 50, line, font(40), INK)
        # the code
        qr = self._qr_image(url, QR_SIDE)
        poster.paste(qr, ((POSTER_SIZE[0] - qr.width) // 2, QR_TOP))
        self._centered(
            draw, QR_TOP + QR_SIDE + 40, env._("Long-press to scan the QR code"), font(30), INK
        )
        for index, line in enumerate(wrap(url, font(22), 680, 2)):
            self._centered(draw, QR_TOP + QR_SIDE + 100 + index * 30, line, font(22), MUTED)
        return self._png(poster)

    def _product_poster_png(self, distributor, product, price, url):
        """A product's share poster: its photo, name and price, who recommends it
        and a QR code of ``url`` (the product page with the distributor's
        referral), in the distributor's language. ``price`` is the text to print."""
        distributor = distributor.sudo()
        product = product.sudo()
        lang = distributor.partner_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        product = product.with_context(lang=lang)
        website = self.env["website"].get_current_website()
        shop = website.name or distributor.company_id.name
        width, height = POSTER_SIZE
        poster = Image.new("RGB", POSTER_SIZE, "white")
        draw = ImageDraw.Draw(poster)
        # the photo, whole, on a light square
        draw.rectangle([0, 0, width, PRODUCT_PHOTO_SIDE], fill=(248, 249, 250))
        photo = self._image_from_field(product.image_1920)
        if photo:
            photo = ImageOps.contain(photo, (PRODUCT_PHOTO_SIDE, PRODUCT_PHOTO_SIDE))
            poster.paste(
                photo,
                ((width - photo.width) // 2, (PRODUCT_PHOTO_SIDE - photo.height) // 2),
                photo,
            )
        # name and price
        y = PRODUCT_PHOTO_SIDE + 30
        for line in wrap(product.name, font(40), width - 80, 2):
            draw.text((40, y), line, font=font(40), fill=INK)
            y += 54
        draw.text((40, y + 10), price, font=font(56), fill=BRAND_COLOUR)
        # who recommends it, and the code to scan
        top = height - PRODUCT_QR_SIDE - 70
        draw.line([40, top - 30, width - 40, top - 30], fill=(222, 226, 230), width=2)
        qr = self._qr_image(url, PRODUCT_QR_SIDE)
        poster.paste(qr, (width - 40 - qr.width, top))
        text_width = width - 120 - qr.width
        avatar = self._image_from_field(distributor.partner_id.image_128)
        text_top = top + 10
        if avatar:
            avatar = ImageOps.fit(avatar, (96, 96))
            mask = Image.new("L", (96, 96), 0)
            ImageDraw.Draw(mask).ellipse([0, 0, 95, 95], fill=255)
            poster.paste(avatar, (40, text_top), mask)
            text_top += 120
        recommends = env._("%(name)s recommends", name=distributor.name)
        for line in wrap(recommends, font(32), text_width, 2):
            draw.text((40, text_top), line, font=font(32), fill=INK)
            text_top += 44
        for line in wrap(env._("Long-press to scan the QR code"), font(26), text_width, 2):
            draw.text((40, text_top + 10), line, font=font(26), fill=MUTED)
            text_top += 36
        for line in wrap(shop, font(26), text_width, 1):
            draw.text((40, top + PRODUCT_QR_SIDE - 30), line, font=font(26), fill=BRAND_COLOUR)
        return self._png(poster)
