"""Runs examples/quickstart.ipynb in an open JupyterLab or Notebook 7 page with Run All and collects
what each cell shows; shared by the quickstart test and scripts/readme_pictures.py (one JupyterLab
start gives both the checks and the README's pictures)."""

from __future__ import annotations

from dataclasses import dataclass

from tests.browser import ROOT
from tests.e2e.notebook_page import cell_output, png_outputs, run_all_cells, wait_widget_state

QUICKSTART = ROOT / "examples" / "quickstart.ipynb"
# Code cells of the quickstart, in order.
WIDGET_CELL, TABLE_CELL, PLOT_CELL, CALIBRATED_CELL, SUMMARY_CELL = range(5)


@dataclass
class QuickstartRun:
    status: str
    table: str
    figures: list[bytes]
    calibrated_figures: list[bytes]
    summary: str


def run_quickstart(page) -> QuickstartRun:
    """Run All, then waits for every cell's output: the widget's final status, the DataFrame, the
    two matplotlib figures (image/png outputs) and the per-face summary table."""
    run_all_cells(page)
    status = wait_widget_state(page, ("done", "error"), timeout_ms=420_000)  # 300 frames, on a busy machine too
    table = cell_output(page, TABLE_CELL, "53 columns", timeout_ms=300_000)
    figures = png_outputs(page, PLOT_CELL)
    calibrated = png_outputs(page, CALIBRATED_CELL)
    summary = cell_output(page, SUMMARY_CELL, "face_id")
    return QuickstartRun(status, table, figures, calibrated, summary)
