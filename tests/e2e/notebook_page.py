"""Drives a notebook page of JupyterLab or Notebook 7 in real Chromium, recording what it does."""

from __future__ import annotations

import base64
import contextlib
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import artifact, launch

VIDEO_FRAME_GUARD = Path(__file__).with_name("video_frame_guard.js")
CHROMIUM_UNCLOSED_FRAME = "A VideoFrame was garbage collected without being closed."
NOTEBOOK_URL = {"lab": "lab/tree/{name}", "notebook": "notebooks/{name}"}


@dataclass
class PageRecord:
    """Every request and every console error or page error of a browser context."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, context, page) -> None:
        context.add_init_script(path=str(VIDEO_FRAME_GUARD))
        context.on("request", lambda r: self.requests.append(r.url))
        page.on("websocket", lambda ws: self.requests.append(ws.url))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def _console(self, message) -> None:
        # MediaPipe's wasm prints its INFO log lines on stderr, which the browser shows as errors.
        # Chromium's unclosed-VideoFrame warning also fires for the Rerun viewer's decoder frames, which
        # the viewer leaves to the collector on purpose; video_frame_guard.js reports ours instead.
        if message.type == "error" and not message.text.startswith(("INFO: ", CHROMIUM_UNCLOSED_FRAME)):
            self.errors.append(message.text)

    def foreign_requests(self, base: str) -> list[str]:
        """Requests that left the server's origin (host and port), whatever the scheme."""
        origin = urlsplit(base).netloc
        return [u for u in self.requests if not u.startswith(("data:", "blob:")) and urlsplit(u).netloc != origin]


@contextlib.contextmanager
def recorded_page(playwright, *, height: int = 1000, args: tuple[str, ...] = ()):
    """A fresh Chromium page whose every request and error is recorded; yields (page, record)."""
    browser = launch(playwright, args=list(args))
    try:
        context = browser.new_context(viewport={"width": 1400, "height": height})
        page = context.new_page()
        record = PageRecord()
        record.attach(context, page)
        yield page, record
    finally:
        browser.close()


def write_notebook(path: Path, cells: list[str]) -> Path:
    """A notebook of code cells with the Python 3 kernel, written to `path`."""
    path.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "id": f"cell-{i}",
                        "metadata": {},
                        "source": src,
                        "execution_count": None,
                        "outputs": [],
                    }
                    for i, src in enumerate(cells)
                ],
                "metadata": {
                    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                    "language_info": {"name": "python"},
                },
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    return path


def open_notebook(page, base: str, app: str, name: str) -> None:
    page.goto(base + NOTEBOOK_URL[app].format(name=name))
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=90_000)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=90_000)


def fail_on_dialog(page) -> None:
    """A modal dialog would swallow every click: fail with what it says instead of timing out.

    The one exception is JupyterLab asking which kernel to start, which it does when the
    notebook's kernel did not start in time on a loaded machine: its default is the notebook's own
    kernel (Python 3), so accept it as a user would."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and "Select Kernel" in dialog.first.inner_text() and "Python 3" in dialog.first.inner_text():
        dialog.first.locator(".jp-mod-accept").click()
        dialog.first.wait_for(state="detached", timeout=10_000)
        page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=90_000)
    if dialog.count():
        page.screenshot(path=artifact("unexpected-dialog.png"))
        raise AssertionError(f"JupyterLab shows a dialog: {dialog.first.inner_text()!r}")


def run_code_cell(page, index: int = 0) -> None:
    """Runs the index-th code cell with the toolbar's run button (it also selects the next cell).

    Keyboard shortcuts sent right after the page settles were found to be swallowed; the
    toolbar button is what a user clicks anyway.
    """
    cell = page.locator(".jp-Notebook .jp-CodeCell").nth(index)
    prompt = cell.locator(".jp-InputPrompt")
    before = prompt.inner_text()
    for _ in range(6):
        fail_on_dialog(page)
        cell.locator(".jp-InputArea-editor").click(timeout=10_000)
        page.locator('[data-command="notebook:run-cell-and-select-next"]').first.click()
        try:
            # A click before the kernel connection is up runs nothing: try again until the prompt moves.
            page.wait_for_function(
                "([el, before]) => el.innerText !== before && /\\[(\\*|\\d+)\\]/.test(el.innerText)",
                arg=[prompt.element_handle(), before],
                timeout=5_000,
            )
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"code cell {index} never started running")


def run_all_cells(page) -> None:
    """Runs the whole notebook as a user does: the menu bar's Run ▸ Run All Cells (JupyterLab and
    Notebook 7 share the main menu and its command). Retried until the first code cell starts:
    a click before the kernel connection is up runs nothing."""
    prompt = page.locator(".jp-Notebook .jp-CodeCell").first.locator(".jp-InputPrompt")
    for _ in range(6):
        fail_on_dialog(page)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        # The main menu's item runs `runmenu:run-all`, which calls the notebook's run-all-cells.
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').first.click()
        try:
            page.wait_for_function(
                "el => /\\[(\\*|\\d+)\\]/.test(el.innerText)", arg=prompt.element_handle(), timeout=5_000
            )
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")  # close the menu if it is still open
    raise AssertionError("Run All Cells never started the first cell")


def png_outputs(page, index: int, count: int = 1, timeout_ms: int = 120_000) -> list[bytes]:
    """Waits for `count` image/png outputs (matplotlib figures) in code cell `index`; returns them
    decoded, or fails with the cell's output (its traceback)."""
    cell = page.locator(".jp-Notebook .jp-CodeCell").nth(index)
    images = cell.locator('.jp-OutputArea img[src^="data:image/png"]')
    try:
        page.wait_for_function(
            "([cell, n]) => cell.querySelectorAll('.jp-OutputArea img[src^=\"data:image/png\"]').length >= n"
            " || (cell.querySelector('.jp-OutputArea')?.innerText ?? '').includes('Traceback')",
            arg=[cell.element_handle(), count],
            timeout=timeout_ms,
        )
    except PlaywrightTimeout as timeout:
        raise AssertionError(f"cell {index} drew no figure:\n{cell.inner_text()}") from timeout
    if images.count() < count:
        raise AssertionError(f"cell {index} failed:\n{cell.locator('.jp-OutputArea').inner_text()}")
    return [base64.b64decode(images.nth(i).get_attribute("src").split(",", 1)[1]) for i in range(images.count())]


def wait_widget_ready(page, timeout_ms: int = 90_000):
    """Waits for a facescope widget that was not marked old to be idle: its viewer is up."""
    page.wait_for_selector('.facescope[data-state="idle"]:not([data-old])', timeout=timeout_ms)
    return page.locator(".facescope:not([data-old])").first


def mark_widgets_old(page) -> None:
    page.evaluate("document.querySelectorAll('.facescope').forEach(e => e.dataset.old = '1')")


def colourful_fraction(png: bytes) -> float:
    """Share of a screenshot's pixels that are clearly coloured (max - min channel > 60): a viewer
    showing a video and overlays has many, an empty viewer's grey UI and text next to none."""
    image = Image.open(io.BytesIO(png)).convert("RGB").reduce(2)
    data = image.tobytes()
    pixels = len(data) // 3
    coloured = sum(1 for i in range(0, len(data), 3) if max(data[i : i + 3]) - min(data[i : i + 3]) > 60)
    return coloured / pixels


def picture_share(png: bytes, box: tuple[float, float, float, float]) -> float:
    """Share of the pixels inside `box` (left, top, right, bottom as fractions of the screenshot)
    that differ clearly from the box's most common colour. Aimed at the viewer's 2D video view: a
    frame of video fills much of it, while an empty view (overlays only, no face) is one flat colour,
    whatever the theme and however dull the clip's colours are."""
    image = Image.open(io.BytesIO(png)).convert("L")
    w, h = image.size
    pixels = image.crop((int(w * box[0]), int(h * box[1]), int(w * box[2]), int(h * box[3]))).tobytes()
    background = Counter(pixels).most_common(1)[0][0]
    return sum(abs(p - background) > 30 for p in pixels) / len(pixels)


def heap_mb(cdp) -> dict[str, float]:
    """JS heap (and backing stores such as wasm memories) after a forced garbage collection."""
    cdp.send("HeapProfiler.collectGarbage")
    usage = cdp.send("Runtime.getHeapUsage")
    return {k: round(v / 2**20, 1) for k, v in usage.items() if isinstance(v, (int, float))}


def live_wasm_memory(cdp) -> dict[str, float]:
    """Live WebAssembly instances and the total size of live wasm memories, after a full GC.

    Each Rerun viewer owns one instance and one memory; a view that was disposed properly
    leaves neither behind. The probe's own handles go in an object group that is released
    afterwards: DevTools would otherwise keep every instance it ever listed alive.
    """
    group = "facescope-memory-probe"
    cdp.send("HeapProfiler.collectGarbage")
    counts = {}
    try:
        for name in ("Instance", "Memory"):
            proto = cdp.send("Runtime.evaluate", {"expression": f"WebAssembly.{name}.prototype", "objectGroup": group})[
                "result"
            ]["objectId"]
            found = cdp.send("Runtime.queryObjects", {"prototypeObjectId": proto, "objectGroup": group})
            summary = cdp.send(
                "Runtime.callFunctionOn",
                {
                    "objectId": found["objects"]["objectId"],
                    "returnByValue": True,
                    "objectGroup": group,
                    "functionDeclaration": "function () { return [this.length, "
                    "this.reduce((n, m) => n + (m.buffer ? m.buffer.byteLength : 0), 0)]; }",
                },
            )
            length, total = summary["result"]["value"]
            counts["wasmInstances" if name == "Instance" else "wasmMemories"] = length
            if name == "Memory":
                counts["wasmMemoryMb"] = round(total / 2**20, 1)
    finally:
        cdp.send("Runtime.releaseObjectGroup", {"objectGroup": group})
    return counts


def frame_text(payload: str | bytes) -> str:
    """A websocket frame's payload as text (Jupyter's binary frames hold JSON among the buffers)."""
    return payload if isinstance(payload, str) else bytes(payload).decode("utf-8", "replace")


def run_python(page, code: str) -> str:
    """Replaces the notebook's last code cell with `code`, runs it and returns its text output."""
    cell = page.locator(".jp-Notebook .jp-CodeCell").last
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+a")
    page.keyboard.type(code)
    index = page.locator(".jp-Notebook .jp-CodeCell").count() - 1
    run_code_cell(page, index)
    output = page.locator(".jp-Notebook .jp-CodeCell").nth(index).locator(".jp-OutputArea-output")
    output.first.wait_for(timeout=60_000)
    return output.first.inner_text()


@dataclass(frozen=True)
class CellDom:
    """Where a host's notebook page keeps its code cells and each cell's outputs."""

    cell: str
    outputs: str


LAB_CELLS = CellDom(".jp-Notebook .jp-CodeCell", ".jp-OutputArea")
CLASSIC_CELLS = CellDom(".cell.code_cell", ".output")


def cell_output(page, index: int, expected: str, timeout_ms: int = 120_000, dom: CellDom = LAB_CELLS) -> str:
    """Waits until code cell `index`'s output contains `expected` (or a traceback) and returns it."""
    cell = page.locator(dom.cell).nth(index)
    page.wait_for_function(
        "([cell, expected, outputs]) => { const t = cell.querySelector(outputs)?.innerText ?? '';"
        " return t.includes(expected) || t.includes('Traceback'); }",
        arg=[cell.element_handle(), expected, dom.outputs],
        timeout=timeout_ms,
    )
    return cell.locator(dom.outputs).inner_text()


def output_line(page, index: int, marker: str, timeout_ms: int = 300_000, dom: CellDom = LAB_CELLS) -> str:
    """The rest of the line of code cell `index`'s output that starts with `marker`; fails with the
    cell's output (its traceback) if no such line comes."""
    text = cell_output(page, index, marker, timeout_ms, dom)
    for line in text.splitlines():
        if line.startswith(marker):
            return line[len(marker) :].strip()
    raise AssertionError(f"cell {index} failed:\n{text}")


def wait_widget_state(page, states: tuple[str, ...], timeout_ms: int = 180_000) -> str:
    """Waits until the widget leaves `analysing` for one of `states`; returns its status line."""
    selector = ", ".join(f'.facescope[data-state="{s}"]:not([data-old])' for s in states)
    page.wait_for_selector(selector, timeout=timeout_ms)
    return page.locator(".facescope:not([data-old]) .facescope-status").first.inner_text()
