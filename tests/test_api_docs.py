"""docs/api.md is what scripts/api_docs.py generates from the code as it is now."""

from __future__ import annotations

import runpy

from tests.browser import ROOT


def test_api_reference_is_current():
    render = runpy.run_path(str(ROOT / "scripts" / "api_docs.py"))["render"]
    assert (ROOT / "docs" / "api.md").read_text() == render(), (
        "docs/api.md is out of date: run .venv/bin/python scripts/api_docs.py"
    )


def test_api_reference_covers_the_public_surface():
    text = (ROOT / "docs" / "api.md").read_text()
    import facescope
    from facescope.results import Results

    for name in facescope.__all__:
        assert name == "__version__" or f"facescope.{name}" in text, name
    for name in ("save", "load", "to_parquet", "to_csv", "save_rrd", "blendshapes", "frame_info", "transforms"):
        assert f"`Results.{name}" in text and hasattr(Results, name), name
    assert "usage: python -m facescope analyze" in text
