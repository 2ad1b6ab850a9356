"""Social preview cards (Open Graph images), drawn offline with Pillow.

Material's social plugin downloads Google Fonts and needs the Cairo system
library; these cards need neither: Pillow's wheel carries FreeType and a
font of its own. One 1200x630 PNG per post, and one for the rest of the site.

Drawing and compressing a card takes about a tenth of a second, so each card is
kept in the cache folder under a hash of what it shows, this module's code and
Pillow's version, and a build copies the cards nothing changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import textwrap
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont

from ..executor.atomic import replace_file
from . import posts, series
from .layout import Layout

SIZE = (1200, 630)
BACKGROUND = "#1a237e"  # the palette's indigo, dark enough for white text
ACCENT = "#8c9eff"


def draw(path: Path, site_name: str, title: str, description: str) -> None:
    image = Image.new("RGB", SIZE, BACKGROUND)
    pen = ImageDraw.Draw(image)
    small = ImageFont.load_default(size=34)
    large = ImageFont.load_default(size=64)
    pen.text((80, 70), site_name, font=small, fill=ACCENT)
    y = 150
    for line in textwrap.wrap(title.replace("`", ""), width=30)[:4]:
        pen.text((80, y), line, font=large, fill="white")
        y += 80
    for line in textwrap.wrap(description, width=60)[:3]:
        pen.text((80, y + 30), line, font=small, fill="#e8eaf6")
        y += 46
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)


def _key(*shown: str) -> str:
    material = [Path(__file__).read_text(encoding="utf-8"), PIL.__version__, *shown]
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()


def draw_kept(path: Path, kept: Path | None, *shown: str) -> None:
    """``draw(path, *shown)``, or a copy of the same card kept in the folder ``kept``."""
    if kept is None:
        draw(path, *shown)
        return
    card = kept / f"{_key(*shown)}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    if card.is_file():
        shutil.copyfile(card, path)
        return
    draw(path, *shown)
    with contextlib.suppress(OSError), path.open("rb") as drawn:
        # A cache that cannot be written: the card is drawn every time.
        replace_file(card, lambda file: shutil.copyfileobj(drawn, file), binary=True)


def draw_all(layout: Layout, site_dir: Path, kept: Path | None = None) -> list[Path]:
    """The site's card and one per published post (a draft gets none); returns the files.

    ``kept``: a folder where drawn cards are kept for later builds (None: draw all).
    """
    name = layout.site_name
    drawn = [site_dir / "assets/cards/site.png"]
    draw_kept(drawn[0], kept, name, name, layout.site_description)
    slugs = [post.stem for post in posts.published(layout)]
    for part in series.parts(layout, slugs):
        drawn.append(site_dir / f"assets/cards/{part.slug}.png")
        draw_kept(drawn[-1], kept, name, part.title, part.description)
    return drawn
