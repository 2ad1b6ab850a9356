"""Social preview cards (Open Graph images), drawn offline with Pillow.

Material's social plugin downloads Google Fonts and needs the Cairo system
library; these cards need neither: Pillow's wheel carries FreeType and a
font of its own. One 1200x630 PNG per post, and one for the rest of the site.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

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


def draw_all(layout: Layout, site_dir: Path) -> list[Path]:
    """The site's card and one per published post (a draft gets none); returns the files."""
    name = layout.site_name
    drawn = [site_dir / "assets/cards/site.png"]
    draw(drawn[0], name, name, layout.site_description)
    slugs = [post.stem for post in posts.published(layout)]
    for part in series.parts(layout, slugs):
        drawn.append(site_dir / f"assets/cards/{part.slug}.png")
        draw(drawn[-1], name, part.title, part.description)
    return drawn
