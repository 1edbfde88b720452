"""The README shows the widget and the quickstart's plot near its top: pictures that exist, are
small, and are the ones scripts/readme_pictures.py writes (the quickstart e2e test runs that script's
`save_pictures` on its own run, so the script keeps working)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from scripts.readme_pictures import MAX_BYTES, OUT, PLOT_PICTURE, WIDGET_PICTURE

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


@pytest.mark.parametrize("name", [WIDGET_PICTURE, PLOT_PICTURE])
def test_readme_picture_exists_is_small_webp_and_is_shown_near_the_top(name):
    picture = OUT / name
    assert picture.is_file(), f"{picture} missing: run scripts/readme_pictures.py"
    assert 5_000 < picture.stat().st_size <= MAX_BYTES <= 300_000, picture.stat().st_size
    with Image.open(picture) as image:
        assert image.format == "WEBP"
        assert image.width >= 600 and image.height >= 200, image.size
    lines = README.read_text().splitlines()
    where = [i for i, line in enumerate(lines) if f"docs/img/{name}" in line]
    assert where, f"README does not show docs/img/{name}"
    # Near the top: before the first second-level section.
    first_section = next(i for i, line in enumerate(lines) if line.startswith("## "))
    assert where[0] < first_section, (where, first_section)
