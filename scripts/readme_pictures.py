"""The README's pictures, made from a real run of the quickstart: the widget in JupyterLab (video with
landmarks, 3D face, blendshape curves) and the quickstart's first plot, as small WebP files.

    .venv/bin/python scripts/readme_pictures.py            # writes docs/img/quickstart-*.webp

The quickstart test (tests/e2e/test_notebook_hosts.py) calls `save_pictures` on its own run too, so
this script cannot rot unnoticed.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
WIDGET_PICTURE = "quickstart-widget.webp"
PLOT_PICTURE = "quickstart-plot.webp"
MAX_BYTES = 300_000
MAX_WIDTH = 1200


def _webp(png: bytes, path: Path) -> Path:
    """Writes `png` as a WebP no wider than MAX_WIDTH, lowering the quality until it is ≤ MAX_BYTES."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > MAX_WIDTH:
        image = image.resize((MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)), Image.LANCZOS)
    for quality in (85, 75, 60, 45):
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", quality=quality, method=6)
        if buffer.tell() <= MAX_BYTES:
            break
    path.write_bytes(buffer.getvalue())
    return path


def save_pictures(page, plot_png: bytes, out: Path = OUT) -> tuple[Path, Path]:
    """Screenshots the page's facescope widget and writes it and `plot_png` (a figure's image/png
    output) as WebP into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    widget = page.locator(".facescope").first
    widget.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # let the viewer paint after scrolling
    return _webp(widget.screenshot(), out / WIDGET_PICTURE), _webp(plot_png, out / PLOT_PICTURE)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.e2e.jupyter_server import jupyter_server
    from tests.e2e.notebook_page import open_notebook, recorded_page
    from tests.e2e.quickstart_run import QUICKSTART, run_quickstart

    with (
        sync_playwright() as playwright,
        jupyter_server("lab", [QUICKSTART]) as base,
        recorded_page(playwright) as (page, _),
    ):
        open_notebook(page, base, "lab", QUICKSTART.name)
        run = run_quickstart(page)
        for path in save_pictures(page, run.figures[0]):
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1000} kB")


if __name__ == "__main__":
    main()
