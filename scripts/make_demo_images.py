#!/usr/bin/env python3
"""Draw the demo catalog's product photos (no downloads, no stock images).

Each product is drawn as its packaging (bottle, dropper, jar, tube, lipstick,
compact, perfume, sheet mask, brush set, sponge, pencil) on a soft studio
backdrop with a shadow, a highlight and its brand and name printed on the
label, so the demo shop looks like a real one on a phone.

    python3 scripts/make_demo_images.py     # rewrites addons/fenxiao_demo/static/img/demo/

The catalog itself lives in addons/fenxiao/demo/product_template_demo.xml;
this table only says how each picture looks. Needs Pillow and a CJK font
(Debian: fonts-noto-cjk).
"""

import os
import sys

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "addons", "fenxiao", "static", "img", "demo")
SIZE = 800
SERIF_BOLD = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
FONT_PATHS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
]

# file name: (shape, body colour, accent colour, backdrop colour, brand, label)
CATALOG = {
    "ys_cleanser": ("tube", "#f7f3ee", "#c9a27e", "#f3e6dc", "云裳", "氨基酸洁面乳"),
    "qmy_cleanser": ("tube", "#e3f1e4", "#3f7d4f", "#dcefe0", "青木研", "茶树控油洁面"),
    "ys_toner": ("bottle", "#dfeefa", "#c9a27e", "#eaf3fb", "云裳", "玻尿酸爽肤水"),
    "ys_lotion": ("pump", "#fbf7f2", "#c9a27e", "#efe6f5", "云裳", "玻尿酸乳液"),
    "lz_toner": ("bottle", "#e6f4ea", "#4f8a6a", "#e9f1e6", "澜芝", "积雪草精粹水"),
    "lz_serum": ("dropper", "#ffffff", "#5a7fb0", "#e4ecf7", "澜芝", "烟酰胺精华"),
    "ys_serum": ("dropper", "#7a4a2a", "#e6c08a", "#f1e3d3", "云裳", "小棕瓶精华"),
    "qmy_serum": ("dropper", "#eaf5ec", "#3f7d4f", "#e3f0e6", "青木研", "水杨酸精华"),
    "hjj_oil": ("dropper", "#f4c7cf", "#b0425a", "#fbe6ea", "花间集", "玫瑰精华油"),
    "ys_cream": ("jar", "#f5efe6", "#b8925f", "#eee5da", "云裳", "胜肽紧致面霜"),
    "lz_cream": ("jar", "#ffffff", "#5a7fb0", "#e7eef8", "澜芝", "神经酰胺修护霜"),
    "ys_eye": ("tube", "#f3ede4", "#b8925f", "#f6eee8", "云裳", "视黄醇眼霜"),
    "ys_mask": ("mask", "#cfe6f7", "#3b74a8", "#e6f1fa", "云裳", "补水面膜"),
    "hjj_sleep_mask": ("jar", "#f7d6dc", "#b0425a", "#fcebee", "花间集", "玫瑰睡眠面膜"),
    "qmy_clay": ("jar", "#d5e6cf", "#3f7d4f", "#e5efe1", "青木研", "绿泥清洁面膜"),
    "lz_sunscreen": ("tube", "#fff3c9", "#d08a1e", "#fdf5dc", "澜芝", "清透防晒乳"),
    "ys_sunscreen": ("tube", "#e4f3fb", "#2b8fc0", "#e7f4fb", "云裳", "水感防晒霜"),
    "hjj_lipstick": ("lipstick", "#1e1e1e", "#b3262d", "#f6e1e1", "花间集", "丝绒口红"),
    "hjj_lipgloss": ("gloss", "#f2c1c4", "#d2455a", "#fbe8ea", "花间集", "水光唇釉"),
    "syf_balm": ("lipstick", "#ffffff", "#e89aa4", "#fdf0f1", "素颜坊", "润唇膏"),
    "syf_foundation": ("pump", "#e8c4a6", "#7d5a44", "#f4e6da", "素颜坊", "持妆粉底液"),
    "syf_cushion": ("compact", "#f1e2d4", "#9c7454", "#f6ece3", "素颜坊", "气垫BB霜"),
    "syf_powder": ("jar", "#f5e9df", "#9c7454", "#f7efe8", "素颜坊", "控油散粉"),
    "syf_concealer": ("gloss", "#efd3bd", "#9c7454", "#f7ece3", "素颜坊", "遮瑕膏"),
    "hjj_palette": ("palette", "#2b2024", "#c98b6b", "#f3e3dc", "花间集", "九色眼影盘"),
    "syf_mascara": ("lipstick", "#222222", "#6b4f8a", "#ece6f3", "素颜坊", "纤长睫毛膏"),
    "syf_liner": ("pencil", "#2a2a2a", "#8a6f4f", "#eee9e3", "素颜坊", "极细眼线笔"),
    "hjj_perfume": ("perfume", "#f8f1dc", "#c8a24a", "#f6efe0", "花间集", "东方栀子"),
    "hjj_body_mist": ("perfume", "#e8f0e0", "#6f8f4f", "#eef3e8", "花间集", "白茶香氛喷雾"),
    "ys_body_lotion": ("pump", "#ffffff", "#c9a27e", "#f1ebe4", "云裳", "美白身体乳"),
    "qmy_shower": ("pump", "#d9eedc", "#3f7d4f", "#e6f2e7", "青木研", "氨基酸沐浴露"),
    "ys_hand_cream": ("tube", "#fbe1e8", "#d06a87", "#fcedf1", "云裳", "樱花护手霜"),
    "syf_brushes": ("brushes", "#3a2d2a", "#d8b98a", "#f2ebe3", "素颜坊", "化妆刷套装"),
    "syf_sponge": ("sponge", "#f4a9b8", "#e0798f", "#fcecef", "素颜坊", "美妆蛋"),
}
EYESHADOWS = ["#e9c9b1", "#c98b6b", "#8c5a44", "#f0d2c8", "#b46a5f"]
EYESHADOWS += ["#5d3a33", "#e7b48a", "#a0704b", "#3b2622"]


def rgb(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def shade(colour, factor):
    return tuple(max(0, min(255, int(c * factor))) for c in colour)


def font(size, bold=False):
    for path in FONT_PATHS[::-1] if bold else FONT_PATHS:
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    sys.exit("A CJK font is needed: apt-get install fonts-noto-cjk")


def backdrop(colour):
    """A studio sweep: lighter at the top, a soft floor line at two thirds."""
    img = Image.new("RGB", (SIZE, SIZE), colour)
    draw = ImageDraw.Draw(img)
    top, bottom = shade(colour, 1.06), shade(colour, 0.93)
    for y in range(SIZE):
        t = y / SIZE
        draw.line(
            [(0, y), (SIZE, y)],
            fill=tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3)),
        )
    return img


def shadow(img, box, radius=40):
    layer = Image.new("L", img.size, 0)
    ImageDraw.Draw(layer).ellipse(box, fill=110)
    layer = layer.filter(ImageFilter.GaussianBlur(radius))
    dark = Image.new("RGB", img.size, (60, 50, 45))
    img.paste(dark, (0, 0), layer)


def gloss(draw, box, radius):
    """A vertical highlight strip, the light reflected on glossy packaging."""
    x0, y0, x1, y1 = box
    w = x1 - x0
    draw.rounded_rectangle(
        (x0 + w * 0.14, y0 + 18, x0 + w * 0.24, y1 - 18),
        radius=min(radius, w * 0.05),
        fill=(255, 255, 255, 90),
    )


def label(draw, centre_x, y, brand, name, colour, width):
    brand_font = font(int(min(58, width * 0.3)), bold=True)
    name_font = font(int(min(34, width / max(len(name), 4) * 1.1)))
    draw.text((centre_x, y), brand, font=brand_font, fill=colour, anchor="mm")
    draw.text((centre_x, y + 62), name, font=name_font, fill=shade(colour, 0.8), anchor="mm")


def body(draw, box, fill, radius):
    draw.rounded_rectangle(box, radius=radius, fill=fill, outline=shade(fill, 0.85), width=3)


def draw_product(shape, body_hex, accent_hex, back_hex, brand, name):
    img = backdrop(rgb(back_hex))
    fill, accent = rgb(body_hex), rgb(accent_hex)
    ink = accent if sum(fill) > 360 else (250, 245, 235)
    cx = SIZE // 2
    shadow(img, (cx - 190, 640, cx + 190, 700))
    over = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(over)
    if shape in ("bottle", "pump", "dropper", "perfume", "jar", "tube", "gloss"):
        draw_skincare(draw, shape, fill, accent, ink, brand, name)
    else:
        draw_makeup(draw, shape, fill, accent, rgb(back_hex), brand, name)
    img.paste(over, (0, 0), over)
    return img


def draw_skincare(draw, shape, fill, accent, ink, brand, name):
    """Bottles, droppers, pumps, jars and tubes: a body, a cap and a label."""
    cx = SIZE // 2
    if shape in ("bottle", "pump", "dropper", "perfume"):
        widths = {"bottle": 230, "pump": 230, "dropper": 190, "perfume": 300}
        tops = {"bottle": 250, "pump": 270, "dropper": 330, "perfume": 330}
        w, top = widths[shape], tops[shape]
        box = (cx - w // 2, top, cx + w // 2, 670)
        body(draw, box, fill + (255,), 46 if shape != "perfume" else 30)
        gloss(draw, box, 30)
        if shape == "bottle":
            draw.rounded_rectangle((cx - 60, 170, cx + 60, top + 8), 14, fill=accent)
        elif shape == "pump":
            draw.rectangle((cx - 34, 190, cx + 34, top + 6), fill=accent)
            draw.rounded_rectangle((cx - 24, 150, cx + 96, 186), 12, fill=accent)
            draw.rectangle((cx - 12, 186, cx + 12, 200), fill=accent)
        elif shape == "dropper":
            draw.rounded_rectangle((cx - 40, 250, cx + 40, top + 8), 10, fill=accent)
            draw.rounded_rectangle((cx - 30, 150, cx + 30, 262), 28, fill=shade(accent, 0.7))
        else:
            draw.rounded_rectangle((cx - 70, 220, cx + 70, top + 6), 16, fill=accent)
            draw.rectangle((cx - 30, top - 4, cx + 30, top + 10), fill=shade(accent, 0.8))
        label(draw, cx, (top + 670) // 2 - 10, brand, name, ink, w)
    elif shape == "jar":
        box = (cx - 210, 400, cx + 210, 670)
        body(draw, box, fill + (255,), 40)
        gloss(draw, box, 30)
        draw.rounded_rectangle((cx - 220, 310, cx + 220, 410), 26, fill=accent)
        label(draw, cx, 510, brand, name, ink, 420)
    elif shape in ("tube", "gloss"):
        w = 210 if shape == "tube" else 120
        draw.polygon(
            [
                (cx - w // 2 - 18, 170),
                (cx + w // 2 + 18, 170),
                (cx + w // 2, 560),
                (cx - w // 2, 560),
            ],
            fill=fill + (255,),
            outline=shade(fill, 0.85),
        )
        draw.rectangle((cx - w // 2 - 18, 158, cx + w // 2 + 18, 180), fill=shade(fill, 0.9))
        draw.rounded_rectangle((cx - w // 2 + 10, 550, cx + w // 2 - 10, 670), 14, fill=accent)
        gloss(draw, (cx - w // 2, 190, cx + w // 2, 540), 20)
        label(draw, cx, 330, brand, name, ink, w + 40)


def draw_makeup(draw, shape, fill, accent, back, brand, name):
    """Lipsticks, pencils, compacts, palettes, masks, brushes and sponges."""
    cx = SIZE // 2
    if shape in ("lipstick", "pencil"):
        w = 110 if shape == "lipstick" else 54
        bullet_top = 190 if shape == "lipstick" else 150
        if shape == "lipstick":
            draw.polygon(
                [(cx - 40, 300), (cx + 40, 300), (cx + 40, 215), (cx - 40, bullet_top + 60)],
                fill=accent,
            )
            draw.rectangle((cx - 48, 300, cx + 48, 360), fill=(212, 175, 120))
        else:
            draw.polygon(
                [(cx - w // 2, 240), (cx + w // 2, 240), (cx, bullet_top)], fill=(226, 200, 160)
            )
            draw.polygon([(cx - 8, 172), (cx + 8, 172), (cx, bullet_top)], fill=accent)
        box = (cx - w // 2, 360 if shape == "lipstick" else 240, cx + w // 2, 670)
        body(draw, box, fill + (255,), 14)
        gloss(draw, box, 10)
        f = font(40, bold=True)
        for i, ch in enumerate(brand):
            draw.text((cx, box[1] + 70 + i * 48), ch, font=f, fill=(214, 181, 125), anchor="mm")
        draw.text((cx, 110), name, font=font(40), fill=shade(accent, 0.7), anchor="mm")
    elif shape in ("compact", "palette"):
        box = (
            (cx - 240, 380, cx + 240, 620) if shape == "palette" else (cx - 200, 420, cx + 200, 640)
        )
        body(draw, box, fill + (255,), 50 if shape == "compact" else 24)
        if shape == "palette":
            for i, c in enumerate(EYESHADOWS):
                x, y = box[0] + 40 + (i % 3) * 140, box[1] + 22 + (i // 3) * 70
                draw.rounded_rectangle((x, y, x + 120, y + 56), 10, fill=rgb(c))
        else:
            draw.ellipse((cx - 150, 440, cx + 150, 620), fill=shade(fill, 0.93))
        lid = (box[0], box[1] - 210, box[2], box[1] + 10)
        draw.rounded_rectangle(lid, 40, fill=accent)
        label(draw, cx, lid[1] + 90, brand, name, (250, 245, 235), lid[2] - lid[0])
    elif shape == "mask":
        box = (cx - 230, 150, cx + 230, 670)
        body(draw, box, fill + (255,), 22)
        draw.rectangle((box[0], box[1], box[2], box[1] + 36), fill=accent)
        draw.ellipse((cx - 130, 380, cx + 130, 620), fill=(255, 255, 255, 170))
        label(draw, cx, 270, brand, name, accent, 460)
        draw.text((cx, 500), "10片装", font=font(36), fill=accent, anchor="mm")
    elif shape == "brushes":
        for i, dx in enumerate((-180, -90, 0, 90, 180)):
            h = 90 + (i % 3) * 30
            draw.rounded_rectangle((cx + dx - 16, 660 - 380, cx + dx + 16, 660), 10, fill=fill)
            draw.rectangle((cx + dx - 20, 660 - 420, cx + dx + 20, 660 - 370), fill=(200, 170, 120))
            draw.ellipse((cx + dx - 38, 660 - 420 - h, cx + dx + 38, 660 - 390), fill=accent)
        draw.text(
            (cx, 56), brand + " · " + name, font=font(44), fill=shade(back, 0.45), anchor="mm"
        )
    elif shape == "sponge":
        for dx, scale in ((-140, 0.85), (140, 0.85), (0, 1.0)):
            w, h = int(150 * scale), int(200 * scale)
            draw.ellipse(
                (cx + dx - w, 640 - 2 * h, cx + dx + w, 650), fill=fill, outline=accent, width=4
            )
        draw.text((cx, 130), brand + " · " + name, font=font(44), fill=accent, anchor="mm")


def draw_logo():
    """The demo merchant's logo: a rose-gold mark and the name in serif."""
    img = Image.new("RGBA", (560, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    rose_gold = (201, 162, 126, 255)
    draw.ellipse((10, 20, 130, 140), fill=rose_gold)
    draw.ellipse((40, 50, 100, 110), fill=(255, 255, 255, 255))
    draw.ellipse((58, 68, 82, 92), fill=rose_gold)
    serif = ImageFont.truetype(SERIF_BOLD, 74)
    draw.text((150, 70), "云裳美妆", font=serif, fill=(74, 52, 40, 255), anchor="lm")
    draw.text((154, 130), "YUNSHANG BEAUTY", font=font(26), fill=(160, 126, 96, 255), anchor="lm")
    return img


def main():
    os.makedirs(OUT, exist_ok=True)
    draw_logo().save(os.path.join(OUT, "company_logo.png"))
    for filename, spec in CATALOG.items():
        draw_product(*spec).save(os.path.join(OUT, filename + ".jpg"), quality=82, optimize=True)
    print(f"{len(CATALOG)} images in {OUT}")


if __name__ == "__main__":
    main()
