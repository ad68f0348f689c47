"""Rasterise pages as a scanner would deliver them: tinted paper, noise, a lid shadow, JPEG.

Rendering uses Pillow's built-in bitmap font (no font files) and one cached noise tile, so a page
costs a few milliseconds; the text is only pixels, with no text layer.
"""

from __future__ import annotations

import io
import random
from functools import lru_cache

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

from training.synth.documents.page import LineOp, Page, RasterImage, RectOp, TextOp

SCALE = 1.25  # pixels per point (90 dpi): the bitmap glyphs then match 9-10 pt text
_TILE = 1088
_GLYPH_PX = 11  # height of Pillow's bitmap font


@lru_cache(maxsize=1)
def bitmap_font() -> ImageFont.ImageFont:
    """Pillow's built-in bitmap font (Latin-1)."""
    return ImageFont.load_default_imagefont()


@lru_cache(maxsize=2)
def _noise_tile(mode: str) -> Image.Image:
    grain = np.random.default_rng(20_240_601).integers(0, 22, (_TILE, _TILE), dtype=np.uint8)
    tile = Image.fromarray(grain)
    return Image.merge("RGB", (tile, tile, tile)) if mode == "RGB" else tile


def latin1(text: str) -> str:
    """What the bitmap font can draw."""
    return text.encode("latin-1", "replace").decode("latin-1")


def draw_text(
    draw: ImageDraw.ImageDraw,
    x: float,
    y: float,
    text: str,
    px: float,
    ink: int | tuple[int, ...],
    bold: bool = False,
) -> None:
    """Draw `text` with its top-left at pixel (x, y), about `px` pixels tall."""
    font = bitmap_font()
    text = latin1(text)
    if px < _GLYPH_PX * 1.3:
        draw.text((x, y), text, fill=ink, font=font)
        if bold:
            draw.text((x + 1, y), text, fill=ink, font=font)
        return
    width = max(1, int(font.getlength(text)))
    glyphs = Image.new("L", (width + 1, _GLYPH_PX + 2), 0)
    gdraw = ImageDraw.Draw(glyphs)
    gdraw.text((0, 0), text, fill=255, font=font)
    if bold:
        gdraw.text((1, 0), text, fill=255, font=font)
    factor = px / _GLYPH_PX
    glyphs = glyphs.resize((round(glyphs.width * factor), round(glyphs.height * factor)))
    draw.bitmap((round(x), round(y)), glyphs, fill=ink)


def degrade(img: Image.Image, rng: random.Random) -> Image.Image:
    """Sensor noise and a scanner-lid shadow on one edge."""
    w, h = img.size
    # Crops past the tile's edge come back noise-free, which only larger images would see.
    ox, oy = rng.randrange(max(1, _TILE - w + 1)), rng.randrange(max(1, _TILE - h + 1))
    img = ImageChops.subtract(img, _noise_tile(img.mode).crop((ox, oy, ox + w, oy + h)))
    shade = rng.randint(150, 215)
    fill = shade if img.mode == "L" else (shade, shade, shade)
    edge = rng.randint(2, 9)
    draw = ImageDraw.Draw(img)
    if rng.random() < 0.5:
        draw.rectangle([0, 0, edge, h], fill=fill)
    else:
        draw.rectangle([0, h - edge, w, h], fill=fill)
    for _ in range(rng.randint(0, 12)):  # dust specks
        px, py = rng.randrange(w), rng.randrange(h)
        draw.point([(px, py), (px + 1, py)], fill=0 if img.mode == "L" else (0, 0, 0))
    return img


def encode_jpeg(img: Image.Image, quality: int) -> RasterImage:
    """JPEG-encode an image for a DCTDecode image XObject."""
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=quality)
    colorspace = "DeviceGray" if img.mode == "L" else "DeviceRGB"
    return RasterImage(buffer.getvalue(), img.width, img.height, colorspace, "DCTDecode")


def rasterize(page: Page, rng: random.Random) -> RasterImage:
    """The page as a greyscale scan: every op drawn into pixels, then degraded and JPEG-encoded."""
    w, h = round(page.width * SCALE), round(page.height * SCALE)
    paper = rng.randint(232, 250)
    img = Image.new("L", (w, h), paper)
    draw = ImageDraw.Draw(img)
    ink = rng.randint(8, 60)
    dx, dy = rng.uniform(-4, 4), rng.uniform(-4, 4)  # the sheet never lies exactly square
    for op in page.ops:
        if type(op) is TextOp:
            px = op.size * SCALE
            top = (op.y - op.size * 0.8 + dy) * SCALE
            draw_text(draw, (op.x + dx) * SCALE, top, op.text, px, ink, "Bold" in op.font)
        elif type(op) is LineOp:
            points = [
                ((op.x1 + dx) * SCALE, (op.y1 + dy) * SCALE),
                ((op.x2 + dx) * SCALE, (op.y2 + dy) * SCALE),
            ]
            draw.line(points, fill=ink, width=max(1, round(op.width * SCALE)))
        elif type(op) is RectOp:
            box = [
                (op.x + dx) * SCALE,
                (op.y + dy) * SCALE,
                (op.x + op.w + dx) * SCALE,
                (op.y + op.h + dy) * SCALE,
            ]
            fill = None if op.fill is None else round(op.fill * paper)
            outline = ink if op.stroke else None
            draw.rectangle(box, fill=fill, outline=outline, width=max(1, round(op.stroke)))
    return encode_jpeg(degrade(img, rng), rng.randint(55, 82))
