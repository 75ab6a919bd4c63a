import io

import qrcode
from PIL import Image, ImageChops

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.fenxiao.tests.common import FenxiaoNetworkCase

from ..models.fenxiao_poster import POSTER_SIZE, QR_SIDE, QR_TOP, cjk_font_path

URL = "https://shop.example.cn/r/ABCD2345"


def read_qr(image, url, left, top, side):
    """Compare the QR modules drawn at (left, top) with the code of ``url``:
    the share of modules that match (1.0 = the code reads back exactly)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    box = side // size
    left = left if left is not None else (image.width - size * box) // 2
    grey = image.convert("L")
    same = sum(
        (grey.getpixel((left + col * box + box // 2, top + row * box + box // 2)) < 128)
        == matrix[row][col]
        for row in range(size)
        for col in range(size)
    )
    return same / (size * size)


@tagged("post_install", "-at_install")
class TestPosters(FenxiaoNetworkCase):
    def test_invite_poster(self):
        self.assertTrue(cjk_font_path(), "a Chinese font is installed (fonts-noto-cjk)")
        png = self.env["fenxiao.poster"]._invite_poster_png(self.a1, URL)
        poster = Image.open(io.BytesIO(png))
        self.assertEqual(poster.size, POSTER_SIZE)
        self.assertEqual(read_qr(poster, URL, None, QR_TOP, QR_SIDE), 1.0)
        # and not any URL's code
        self.assertLess(read_qr(poster, URL + "X", None, QR_TOP, QR_SIDE), 0.9)

    def test_chinese_name_is_drawn_and_long_names_fit(self):
        Poster = self.env["fenxiao.poster"]
        self.a1.partner_id.name = "欧"
        short = Image.open(io.BytesIO(Poster._invite_poster_png(self.a1, URL)))
        self.a1.partner_id.name = "欧阳娜娜" * 20 + " 🌸"
        long = Image.open(io.BytesIO(Poster._invite_poster_png(self.a1, URL)))
        name_band = (0, 620, POSTER_SIZE[0], 700)
        diff = ImageChops.difference(short.crop(name_band), long.crop(name_band))
        self.assertTrue(diff.getbbox(), "the name is drawn")
        self.assertEqual(
            read_qr(long, URL, None, QR_TOP, QR_SIDE), 1.0, "nothing overlaps the code"
        )

    def test_qr_png(self):
        image = Image.open(io.BytesIO(self.env["fenxiao.poster"]._qr_png(URL, side=440)))
        self.assertEqual(read_qr(image, URL, 0, 0, image.width), 1.0)


@tagged("post_install", "-at_install")
class TestPosterRoutes(HttpCase):
    def test_routes(self):
        lina = self.env.ref("fenxiao_demo.dist_lina")
        self.authenticate("distributor", "distributor")
        for path in ("/my/fenxiao/invite/qr.png", "/my/fenxiao/invite/poster.png?download=1"):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 200, path)
            self.assertEqual(response.headers["Content-Type"], "image/png")
            image = Image.open(io.BytesIO(response.content))
            self.assertGreater(image.width, 300)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn(lina.referral_code, response.headers["Content-Disposition"])
        # a shopper has no invitation to make; a visitor must log in
        new_test_user(self.env, "fx_poster_shopper", groups="base.group_portal")
        self.authenticate("fx_poster_shopper", "fx_poster_shopper")
        self.assertEqual(self.url_open("/my/fenxiao/invite/poster.png").status_code, 404)
        self.authenticate(None, None)
        response = self.url_open("/my/fenxiao/invite/qr.png")
        self.assertIn("/web/login", response.url)
