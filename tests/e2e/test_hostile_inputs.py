"""The reliability suite's hostile inputs (tests/hostile_clips.py) in a real JupyterLab: each one
through the widget's file picker, then through ``scope.analyze`` in the kernel, in ONE widget of
ONE server. Each gives its specific words, the widget analyses the next clip, the kernel lives."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from tests.browser import MEDIA
from tests.e2e.jupyter_server import jupyter_server
from tests.e2e.notebook_page import (
    open_notebook,
    output_line,
    recorded_page,
    run_code_cell,
    wait_widget_ready,
    write_notebook,
)
from tests.hostile_clips import BY_FILE, CASES, check_outcome

TALKING = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"

# In the kernel: every case through scope.analyze + await scope.analyzed(), one JSON line.
KERNEL_PASS = """
import json
from facescope.headless import AnalysisError
def frames_of(r):
    c = r.batch.columns
    return {"times": [round(float(t) / 1e6, 6) for t in c["timestamp_us"]], "faces": c["face_count"].tolist(),
            "size": [int(v) for v in c["image_size"][0]] if r.frames else None, "kind": r.summary.get("kind")}
out = {}
for name, path in CLIPS:
    try:
        scope.analyze(path)
    except (ValueError, FileNotFoundError) as e:  # refused before anything is sent
        out[name] = {"refused": str(e)}
        continue
    try:
        out[name] = {"ok": True, **frames_of(await scope.analyzed(timeout=300))}
    except AnalysisError as e:
        out[name] = {"error": str(e), "code": e.code, **(frames_of(e.partial) if e.partial else {})}
scope.analyze(TALKING, max_frames=10)
good = await scope.analyzed(timeout=300)
print("KERNEL", json.dumps({"cases": out, "good": good.frames, "status": scope.status}))
"""


def _wait_outcome(page, name: str) -> tuple[str, str]:
    """The widget's state and status line once it has finished with `name` (its name is in every
    final message, so an older clip's "done" is never taken for this one)."""
    page.wait_for_function(
        """name => { const w = document.querySelector('.facescope');
                     return ['done', 'error'].includes(w?.dataset.state)
                       && w.querySelector('.facescope-status').textContent.includes(name); }""",
        arg=name,
        timeout=300_000,
    )
    widget = page.locator(".facescope").first
    return widget.get_attribute("data-state"), widget.locator(".facescope-status").inner_text()


# Every case, the still image included: its recording once froze the Rerun viewer (a static
# EncodedImage; see tests/headless/test_still_viewer.py), so the widget never reported on it.
LAB_CASES = list(CASES)


def test_hostile_inputs_in_the_widget_and_the_kernel(playwright, hostile_clips, measure):
    # Failures and successes alternate, so each failure is followed by a clip that must work.
    failing = [c for c in LAB_CASES if c.code]
    working = [c for c in LAB_CASES if not c.code]
    order = (
        [c for pair in zip(failing, working, strict=False) for c in pair]
        + failing[len(working) :]
        + working[len(failing) :]
    )
    clips = [(c.file, str(hostile_clips[c.file])) for c in order]
    with tempfile.TemporaryDirectory() as tmp:
        nb = write_notebook(
            Path(tmp) / "hostile.ipynb",
            [
                "from facescope import FaceScope\nscope = FaceScope()\nscope",
                f"CLIPS = {clips!r}\nTALKING = {str(TALKING)!r}\n" + KERNEL_PASS,
                "import os\nprint('ALIVE', os.getpid(), scope.status)",
            ],
        )
        with jupyter_server("lab", [nb]) as base, recorded_page(playwright, height=1200) as (page, record):
            open_notebook(page, base, "lab", nb.name)
            run_code_cell(page, 0)
            wait_widget_ready(page, 120_000)
            picker = page.locator(".facescope input[type=file]")
            seen = {}
            for case in order:
                picker.set_input_files(hostile_clips[case.file])
                seen[case.file] = _wait_outcome(page, case.file)
                print(f"widget: {case.file}: {seen[case.file]}", flush=True)  # progress, with pytest -s
                measure(f"hostile input in the widget: {case.file}: {seen[case.file][0]}: {seen[case.file][1][:150]}")
            picker.set_input_files(TALKING)
            after = _wait_outcome(page, TALKING.name)

            run_code_cell(page, 1)
            kernel = json.loads(output_line(page, 1, "KERNEL", 1_200_000))
            run_code_cell(page, 2)
            alive = output_line(page, 2, "ALIVE", 60_000)

    for case in order:
        state, message = seen[case.file]
        assert state == ("error" if case.code else "done"), (case.file, state, message)
        check_outcome(case, hostile_clips, message)
    truncated = seen["truncated.mp4"][1]
    assert "frames analysed before are kept" in truncated, truncated
    assert after == ("done", "a_talking_grid_s1_bbaf2n.mp4: 75 frames, 1 face in 75 frames") or after[1].startswith(
        "a_talking_grid_s1_bbaf2n.mp4: 75 frames, 1 face in 75 frames"
    ), after

    for name, got in kernel["cases"].items():
        case = BY_FILE[name]
        measure(f"hostile input from Python: {name}: {str(got)[:160]}")
        if case.code in ("empty", "too-large"):  # Python refuses these before sending a byte
            check_outcome(case, hostile_clips, got.get("refused", str(got)))
        elif case.code:
            assert got.get("code") == case.code, got
            check_outcome(case, hostile_clips, got["error"], got.get("times"))
            assert ("times" in got) == (case.code == "truncated"), (
                got
            )  # partial results only where frames were decodable
        else:
            assert got.get("ok"), got
            check_outcome(case, hostile_clips, None, got["times"], got["faces"], tuple(got["size"]))
            assert (got["kind"] == "image") == (name == "still_as_video.mp4"), got
    assert kernel["good"] == 10 and kernel["status"] == "done", kernel
    assert alive.split()[1] == "done", alive
    assert record.errors == [], record.errors
    assert record.foreign_requests(base) == []
