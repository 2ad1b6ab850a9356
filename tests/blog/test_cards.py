"""Link-preview cards: drawn once, then copied from the cache while nothing they show changes."""

from __future__ import annotations

import pytest
from PIL import Image

from snippet_runner.blog import cards

SHOWN = ("Pickled State", "A title", "A description.")


def test_a_card_is_a_png_of_the_open_graph_size(tmp_path):
    cards.draw_kept(tmp_path / "a.png", None, *SHOWN)
    with Image.open(tmp_path / "a.png") as image:
        assert (image.format, image.size) == ("PNG", cards.SIZE)


def test_a_kept_card_is_copied_not_drawn_again(tmp_path, monkeypatch):
    kept = tmp_path / "kept"
    cards.draw_kept(tmp_path / "first.png", kept, *SHOWN)
    assert len(list(kept.glob("*.png"))) == 1 and not list(kept.glob("*.tmp"))

    def no_drawing(*args):
        raise AssertionError("drawn again")

    monkeypatch.setattr(cards, "draw", no_drawing)
    cards.draw_kept(tmp_path / "second.png", kept, *SHOWN)
    assert (tmp_path / "second.png").read_bytes() == (tmp_path / "first.png").read_bytes()
    with pytest.raises(AssertionError, match="drawn again"):  # another title: a new card
        cards.draw_kept(tmp_path / "third.png", kept, "Pickled State", "Other", "A description.")


def test_a_cache_that_cannot_be_written_still_gives_a_card(tmp_path):
    kept = tmp_path / "kept"
    kept.write_text("a file where the folder should be")
    cards.draw_kept(tmp_path / "a.png", kept, *SHOWN)
    assert (tmp_path / "a.png").stat().st_size > 1000
