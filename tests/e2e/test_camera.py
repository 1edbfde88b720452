"""Live camera analysis end to end in a real JupyterLab: Chromium's fake camera plays a real clip,
`scope.record()` analyses it live, the kernel gets the same tables as for a file, the recording
keeps the video, and a refused or lost camera says so in the widget and in Python."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import rerun as rr
from rerun.experimental import RrdReader

from tests.browser import artifact
from tests.e2e.jupyter_server import jupyter_server
from tests.e2e.notebook_page import (
    colourful_fraction,
    open_notebook,
    output_line,
    recorded_page,
    run_code_cell,
    wait_widget_ready,
    write_notebook,
)
from tests.fake_camera import camera_args, denied_camera_args, make_camera_clip

# Our recordings end with a footer: the reader's warning for a file without one is a failure.
pytestmark = pytest.mark.filterwarnings("error:RRD file has no footer")

STATUS = ".facescope-status"
REPORT = (
    "print('{marker}', json.dumps({{'frames': r.frames, 'rows': len(bs), "
    "'one_face': int((bs.groupby(level='frame_idx').size() == 1).sum()), "
    "'blink': [float(bs.eyeBlinkLeft.max()), float(bs.eyeBlinkRight.max())], 'tmax': float(bs.time.max()), "
    "'jawOpen': {{f'{{f}}/{{i}}': float(v) for (f, i), v in bs.jawOpen.items()}}, "
    "'summary': {{k: r.summary.get(k) for k in ('kind', 'frames', 'frames_with_faces', 'captured_frames', "
    "'analysed_frames', 'recorded_frames', 'recorded_seconds', 'capture_fps', 'codec', 'video_error')}}, "
    "'refused': scope._sync.refused}}))"
)


@pytest.fixture(scope="module")
def camera_clip(tmp_path_factory) -> Path:
    return make_camera_clip(tmp_path_factory.mktemp("camera"))


def _status(page) -> str:
    return page.locator(STATUS).first.inner_text()


def _video_in(rrd: Path) -> tuple[bytes, list[int], list[int]]:
    """The recording's AssetVideo bytes, its frame times as Rerun reads them, and the frame references' times."""
    blobs, refs = [], []
    for chunk in RrdReader(rrd).stream().to_chunks():
        if chunk.entity_path != "/video":
            continue
        batch = chunk.to_record_batch()
        if "AssetVideo:blob" in batch.schema.names:
            blobs += [bytes(b[0]) for b in batch.column("AssetVideo:blob").to_pylist() if b]
        if "VideoFrameReference:timestamp" in batch.schema.names:
            refs += [v[0] for v in batch.column("VideoFrameReference:timestamp").to_pylist() if v]
    assert len(blobs) == 1, f"{len(blobs)} AssetVideo blobs in {rrd.name}"
    frame_times = rr.AssetVideo(contents=blobs[0], media_type="video/mp4").read_frame_timestamps_nanos().tolist()
    return blobs[0], frame_times, refs


def _scalar_series(rrd: Path, name: str) -> dict[str, float]:
    """Every face's `/blendshapes/<id>/<name>` series as the widget logged it, keyed "frame_idx/face_id"."""
    out = {}
    for chunk in RrdReader(rrd).stream().to_chunks():
        parts = chunk.entity_path.split("/")
        if chunk.is_static or len(parts) != 4 or parts[1] != "blendshapes" or parts[3] != name:
            continue
        batch = chunk.to_record_batch()
        for f, v in zip(
            batch.column("frame_idx").to_pylist(), batch.column("Scalars:scalars").to_pylist(), strict=True
        ):
            if v:
                out[f"{f}/{parts[2]}"] = float(v[0])
    return out


def _decoded_frames(mp4: bytes, tmp: Path) -> tuple[str, int, int, int]:
    """Codec, size and number of frames ffmpeg decodes from the MP4 (decoding every one of them)."""
    path = tmp / "recorded.mp4"
    path.write_bytes(mp4)
    probe = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=codec_name,width,height,nb_read_frames",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    s = json.loads(probe.stdout)["streams"][0]
    return s["codec_name"], s["width"], s["height"], int(s["nb_read_frames"])


def test_a_live_recording_reaches_python_with_its_video_and_a_lost_camera_keeps_what_was_recorded(
    playwright, camera_clip, tmp_path, measure
):
    rrd, lost_rrd = tmp_path / "camera.rrd", tmp_path / "lost.rrd"
    nb = write_notebook(
        tmp_path / "camera.ipynb",
        [
            "import json\nfrom facescope import FaceScope\nscope = FaceScope(height=520)\nscope",
            "scope.record(seconds=5)\nr = await scope.analyzed()\nbs = scope.blendshapes\n"
            + REPORT.format(marker="REC")
            + f"\nprint('RRD', scope.save_rrd({str(rrd)!r}).stat().st_size)",
            "scope.record(seconds=60)",
            "from facescope.headless import AnalysisError\ntry:\n    await scope.analyzed()\n    print('LOST none')\n"
            "except AnalysisError as e:\n    print('LOST', json.dumps({'code': e.code, 'message': str(e), "
            "'partial': e.partial.frames if e.partial else None, 'status': scope.status}))\n"
            "r = scope.results\nbs = scope.blendshapes\n"
            + REPORT.format(marker="KEPT")
            + f"\nprint('RRD', scope.save_rrd({str(lost_rrd)!r}).stat().st_size)",
            "r = await scope.analyzed()\nprint('UI', r.summary['captured_frames'], r.summary['analysed_frames'], r.frames, "
            "r.summary['recorded_seconds'] < 30, scope.status)",
        ],
    )
    with (
        jupyter_server("lab", [nb]) as base,
        recorded_page(playwright, height=1200, args=tuple(camera_args(camera_clip))) as (page, record),
    ):
        open_notebook(page, base, "lab", nb.name)
        run_code_cell(page, 0)
        wait_widget_ready(page, 120_000)
        run_code_cell(page, 1)
        # The preview runs and the progress line counts analysed against captured frames while recording.
        page.wait_for_function(
            "() => /Recording [\\d.]+ \\/ 5 s · \\d+ of \\d+ frames analysed/.test("
            f"document.querySelector('{STATUS}')?.textContent ?? '')",
            timeout=120_000,
        )
        preview_live = page.evaluate(
            "() => { const v = document.querySelector('.facescope-camera-preview');"
            " return !!v && !v.hidden && v.srcObject?.active === true; }"
        )
        rec = json.loads(output_line(page, 1, "REC"))
        rrd_size = int(output_line(page, 1, "RRD"))
        page.wait_for_selector('.facescope[data-state="done"]', timeout=60_000)
        done_status = _status(page)
        viewer = page.locator(".facescope .facescope-viewer").first
        viewer.scroll_into_view_if_needed()
        for _ in range(20):  # the viewer ingests the final recording with its video, then draws
            page.wait_for_timeout(1000)
            png = viewer.screenshot(path=artifact("camera-recording-in-lab.png"))
            if colourful_fraction(png) > 0.05:
                break

        # A camera that goes away mid-recording (unplugged): its track ends under the recording.
        run_code_cell(page, 2)
        page.wait_for_function(
            "() => { const m = /Recording [\\d.]+ \\/ 60 s · (\\d+) of/.exec("
            f"document.querySelector('{STATUS}')?.textContent ?? ''); return m && +m[1] >= 15; }}",
            timeout=120_000,
        )
        page.evaluate("() => document.querySelector('.facescope-camera-preview').srcObject.getVideoTracks()[0].stop()")
        page.wait_for_selector('.facescope[data-state="error"]', timeout=60_000)
        lost_status = _status(page)
        run_code_cell(page, 3)
        lost = json.loads(output_line(page, 3, "LOST"))
        kept = json.loads(output_line(page, 3, "KEPT"))
        output_line(page, 3, "RRD")

        # The widget's own buttons: Camera starts a recording until Stop; Python gets it as well.
        camera_button = page.locator(".facescope-camera-button")
        camera_button.click()
        page.wait_for_function(
            "() => { const m = /Recording [\\d.]+ s · (\\d+) of/.exec("
            f"document.querySelector('{STATUS}')?.textContent ?? ''); return m && +m[1] >= 5; }}",
            timeout=120_000,
        )
        stop_label = camera_button.inner_text()
        camera_button.click()
        page.wait_for_selector('.facescope[data-state="done"]', timeout=60_000)
        ui_status = _status(page)
        label_after = camera_button.inner_text()
        run_code_cell(page, 4)
        ui = output_line(page, 4, "UI").split()

    s = rec["summary"]
    assert s["recorded_seconds"] > 0, rec
    measure(
        f"camera 5 s: captured {s['captured_frames']} ({s['capture_fps']:.1f} fps), analysed {s['analysed_frames']} "
        f"({s['analysed_frames'] / s['recorded_seconds']:.1f} fps), video {s['recorded_frames']} frames {s['codec']}"
    )
    assert preview_live, "no live preview while recording"
    assert s["kind"] == "camera" and rec["refused"] == [], rec
    assert 4.5 <= s["recorded_seconds"] < 5.0, s
    # Frames were captured at the camera's rate and every one of them is in the video.
    assert s["captured_frames"] >= 100 and s["recorded_frames"] == s["captured_frames"], s
    assert 10 <= s["analysed_frames"] <= s["captured_frames"], s
    # Python holds exactly what the widget analysed, and the widget says the same counts.
    assert rec["frames"] == s["analysed_frames"] == s["frames"], rec
    assert f"{s['analysed_frames']} of {s['captured_frames']} frames analysed" in done_status, done_status
    assert rec["one_face"] >= 0.9 * rec["frames"] and s["frames_with_faces"] == rec["rows"], rec
    assert min(rec["blink"]) > 0.5, f"no blink peak in the live recording: {rec['blink']}"
    assert rec["tmax"] <= s["recorded_seconds"] + 1e-6, rec
    # Value for value, the DataFrame is the series the widget drew (float32 in the recording).
    drawn = _scalar_series(rrd, "jawOpen")
    assert sorted(drawn) == sorted(rec["jawOpen"]) and len(drawn) == rec["rows"], (len(drawn), rec["rows"])
    assert all(np.float32(drawn[k]) == np.float32(v) for k, v in rec["jawOpen"].items())

    # The recording holds the camera's video (H.264 that ffmpeg decodes frame by frame), and every
    # analysed frame points at one of its frames.
    mp4, frame_times, refs = _video_in(rrd)
    codec, width, height, decoded = _decoded_frames(mp4, tmp_path)
    assert (codec, width, height, decoded) == ("h264", 640, 480, s["recorded_frames"]), (codec, width, height, decoded)
    assert len(refs) == rec["frames"] and set(refs) <= set(frame_times), (len(refs), refs[:5], frame_times[:5])
    assert refs == sorted(refs) and len(set(refs)) == len(refs)
    assert rrd_size > len(mp4) > 50_000
    assert colourful_fraction(png) > 0.05, "the viewer shows nothing after the recording"

    # Lost camera: a clear message in the widget and in Python; what was recorded is kept.
    assert "camera stopped while recording" in lost_status and "kept" in lost_status, lost_status
    assert lost["code"] == "camera-ended" and "camera stopped while recording" in lost["message"], lost
    assert lost["partial"] and lost["partial"] >= 15 and lost["status"] == "error", lost
    k = kept["summary"]
    assert kept["frames"] == k["analysed_frames"] == lost["partial"] and k["recorded_frames"] >= k["analysed_frames"], (
        kept
    )
    lost_mp4, lost_times, lost_refs = _video_in(lost_rrd)
    assert _decoded_frames(lost_mp4, tmp_path)[3] == k["recorded_frames"] == len(lost_times)
    assert len(lost_refs) == kept["frames"] and set(lost_refs) <= set(lost_times)
    assert stop_label == "Stop" and label_after == "Camera"
    assert f"{ui[1]} of {ui[0]} frames analysed" in ui_status and ui[1] == ui[2] and ui[3:] == ["True", "done"], (
        ui,
        ui_status,
    )
    assert int(ui[2]) >= 5
    assert record.foreign_requests(base) == []
    assert record.errors == [], record.errors


def test_a_refused_camera_says_so_in_the_widget_and_in_python(playwright, camera_clip, tmp_path):
    nb = write_notebook(
        tmp_path / "denied.ipynb",
        [
            "from facescope import FaceScope\nscope = FaceScope(height=300)\nscope",
            "from facescope.headless import AnalysisError\nscope.record(seconds=3)\ntry:\n    await scope.analyzed()\n"
            "    print('DENIED none')\nexcept AnalysisError as e:\n    print('DENIED', e.code, '|', e, '|', e.partial)",
        ],
    )
    with (
        jupyter_server("lab", [nb]) as base,
        recorded_page(playwright, height=900, args=tuple(denied_camera_args(camera_clip))) as (page, record),
    ):
        open_notebook(page, base, "lab", nb.name)
        run_code_cell(page, 0)
        wait_widget_ready(page, 120_000)
        run_code_cell(page, 1)
        denied = output_line(page, 1, "DENIED")
        page.wait_for_selector('.facescope[data-state="error"]', timeout=30_000)
        status = _status(page)
        button = page.locator(".facescope-camera-button").inner_text()
    code, message, partial = [p.strip() for p in denied.split("|")]
    assert code == "permission-denied", denied
    assert re.search(r"^camera: Camera permission was denied\. Allow the camera", message), denied
    assert partial == "None", denied
    assert "Camera permission was denied" in status, status
    assert button == "Camera"
    assert record.foreign_requests(base) == []


def test_no_camera_is_explained_and_a_camera_is_chosen_by_name_when_there_are_two(playwright, tmp_path):
    missing = write_notebook(
        tmp_path / "missing.ipynb",
        [
            "from facescope import FaceScope\nscope = FaceScope(height=300)\nscope",
            "from facescope.headless import AnalysisError\nscope.record(seconds=3)\ntry:\n    await scope.analyzed()\n"
            "    print('MISSING none')\nexcept AnalysisError as e:\n    print('MISSING', e.code, '|', e)",
        ],
    )
    two = write_notebook(
        tmp_path / "two.ipynb",
        [
            "from facescope import FaceScope\nscope = FaceScope(height=300)\nscope",
            "r = (scope.record(seconds=2, device='fake_device_1'), await scope.analyzed())[1]\n"
            "print('TWO', r.summary['device'], r.summary['captured_frames'] >= 10, r.summary['recorded_frames'] == "
            "r.summary['captured_frames'], r.summary['analysed_frames'] == r.frames > 0)",
        ],
    )
    with jupyter_server("lab", [missing, two]) as base:
        # A machine without a camera (the browser may use one, but there is none).
        with recorded_page(playwright, height=900, args=("--use-fake-ui-for-media-stream",)) as (page, record):
            open_notebook(page, base, "lab", missing.name)
            run_code_cell(page, 0)
            wait_widget_ready(page, 120_000)
            devices_hidden = page.locator(".facescope-camera-device").is_hidden()
            run_code_cell(page, 1)
            code, message = output_line(page, 1, "MISSING").split(" | ")
            page.wait_for_selector('.facescope[data-state="error"]', timeout=30_000)
            missing_status = _status(page)
            assert record.errors == [], record.errors
        # Two cameras (Chromium's generated test pattern): the widget offers both, Python picks one by name.
        with recorded_page(
            playwright,
            height=900,
            args=("--use-fake-device-for-media-stream=device-count=2", "--use-fake-ui-for-media-stream"),
        ) as (page, record):
            open_notebook(page, base, "lab", two.name + "?reset")  # not with the first notebook restored beside it
            run_code_cell(page, 0)
            wait_widget_ready(page, 120_000)
            run_code_cell(page, 1)
            chosen = output_line(page, 1, "TWO")
            page.wait_for_selector('.facescope[data-state="done"]', timeout=30_000)
            options = page.locator(".facescope-camera-device option").all_inner_texts()
            devices_shown = page.locator(".facescope-camera-device").is_visible()
            two_status = _status(page)
            assert record.errors == [], record.errors
    assert devices_hidden, "a camera choice with no camera to choose"
    assert code == "no-camera" and message.startswith("camera: No camera found"), (code, message)
    assert "No camera found" in missing_status, missing_status
    assert chosen == "fake_device_1 True True True", chosen
    assert options == ["fake_device_0", "fake_device_1"] and devices_shown, options
    assert "no face found" in two_status, two_status
