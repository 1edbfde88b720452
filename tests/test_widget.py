"""The FaceScope Python class: traits, validation, messages, packaging of the front end."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import traitlets

import facescope
from facescope import FaceScope
from tests.browser import MEDIA, MODEL, build_wheel, run_coroutine
from tests.test_sync import results_message

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_and_sync_tags():
    scope = FaceScope()
    assert (scope.height, scope.num_faces, scope.status) == (640, 1, "loading")
    state = scope.get_state()
    assert {
        "height",
        "status",
        "message",
        "error",
        "num_faces",
        "max_dim",
        "max_frames",
        "detector",
        "min_detection_confidence",
        "min_presence_confidence",
        "min_tracking_confidence",
        "delegate",
    } <= set(state)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"height": 50}, "at least 200"),
        ({"num_faces": 0}, "from 1 to 20"),
        ({"min_detection_confidence": 1.5}, "from 0 to 1"),
    ],
)
def test_options_are_validated(kwargs, match):
    with pytest.raises(traitlets.TraitError, match=match):
        FaceScope(**kwargs)


def test_status_is_read_only_for_users_but_settable_by_the_front_end():
    scope = FaceScope()
    with pytest.raises(traitlets.TraitError):
        scope.status = "done"
    scope.set_state({"status": "error", "message": "x.mp4: not a video", "error": "x.mp4: not a video"})
    assert (scope.status, scope.error) == ("error", "x.mp4: not a video")


def _sent(scope):
    sent = []
    scope.send = lambda content, buffers=None: sent.append((content, buffers))
    return sent


def test_model_request_is_answered_with_the_model_bytes():
    scope = FaceScope(model=MODEL)
    sent = _sent(scope)
    scope._handle_custom_msg({"type": "model-request"}, [])
    ((content, buffers),) = sent
    assert content == {"type": "model"}
    assert buffers[0] == MODEL.read_bytes()


def test_model_request_failure_is_explained_to_the_front_end(tmp_path):
    scope = FaceScope(model=tmp_path / "nowhere.task")
    sent = _sent(scope)
    scope._handle_custom_msg({"type": "model-request"}, [])
    ((content, buffers),) = sent
    assert content["type"] == "model-error" and "nowhere.task" in content["message"]
    assert not buffers


def _run(scope, parts: list[bytes], error: dict | None = None, serial: int | None = None, run: str = "r1") -> None:
    """Plays the messages of one run by view v1, as the front end sends them."""
    scope._handle_custom_msg({"type": "hello", "view": "v1", "shows": None}, [])
    scope._handle_custom_msg(
        {"type": "run-start", "run": run, "view": "v1", "fileName": "talk.mp4", "serial": serial}, []
    )
    for seq, data in enumerate(parts):
        scope._handle_custom_msg({"type": "run-parts", "run": run, "parts": [{"seq": seq, "kind": "results"}]}, [data])
    scope._handle_custom_msg(
        {
            "type": "run-end",
            "run": run,
            "parts": len(parts),
            "summary": {"frames": 75, "fps": 20.5},
            "error": error,
            "cancelled": False,
        },
        [],
    )


def test_results_and_summary_of_a_run_reach_the_dataframes():
    scope = FaceScope()
    _sent(scope)
    _run(scope, [results_message("r1", 0, 0, 40), results_message("r1", 1, 40, 35)])
    assert scope.summary == {"frames": 75, "fps": 20.5}
    assert scope.blendshapes.shape == (75, 53)
    assert scope.landmarks.shape == (75, 1, 478, 3)
    assert scope.results.frames == 75
    assert scope.landmarks_long().shape == (75 * 478, 3)
    with pytest.warns(DeprecationWarning, match="use landmarks_long"):
        assert scope.landmarks_frame().shape == (75 * 478, 3)


def test_analyzed_waits_for_the_messages_that_arrive_while_it_awaits():
    scope = FaceScope()
    _sent(scope)

    async def main():
        async def browser():
            await asyncio.sleep(0.2)
            _run(scope, [results_message("r1", 0, 0, 10)])

        feeding = asyncio.create_task(browser())
        results = await asyncio.wait_for(scope.analyzed(), 5)
        await feeding
        return results

    results = run_coroutine(main())
    assert results.frames == 10 and results.blendshapes.shape == (10, 53)


def test_analyzed_waits_for_a_new_clip_even_once_a_view_claimed_it():
    scope = FaceScope()
    _sent(scope)
    _run(scope, [results_message("r1", 0, 0, 10)])
    scope.analyze(b"\0\0\0\x18ftypmp42")
    scope._handle_custom_msg({"type": "clip-request", "view": "v1"}, [])  # claimed, its run not started yet
    with pytest.raises(TimeoutError):
        run_coroutine(scope.analyzed(timeout=0.2))  # not the finished run of the previous clip
    _run(scope, [results_message("r2", 0, 0, 4)], serial=scope._sync.clip[0], run="r2")
    assert run_coroutine(scope.analyzed(timeout=5)).frames == 4


def test_analyzed_raises_the_front_end_error_and_keeps_the_partial_results():
    from facescope.headless import AnalysisError

    scope = FaceScope()
    _sent(scope)
    _run(scope, [results_message("r1", 0, 0, 12)], error={"code": "truncated", "message": "the file stops at 0.5 s"})
    with pytest.raises(AnalysisError, match="stops at 0.5 s") as raised:
        run_coroutine(scope.analyzed())
    assert raised.value.code == "truncated" and raised.value.partial.frames == 12
    assert scope.blendshapes.shape == (12, 53)


def test_analyzed_says_when_the_widget_is_not_on_screen(monkeypatch):
    monkeypatch.setattr("facescope.widget.NOT_SHOWN_AFTER_S", 0.1)
    scope = FaceScope()
    _sent(scope)
    scope.analyze(b"\0\0\0\x18ftypmp42")
    with pytest.raises(RuntimeError, match="not on screen"):
        run_coroutine(scope.analyzed())


def test_analyzed_waits_for_a_view_whose_viewer_is_still_loading(monkeypatch):
    monkeypatch.setattr("facescope.widget.NOT_SHOWN_AFTER_S", 0.1)
    scope = FaceScope()
    _sent(scope)
    scope.analyze(b"\0\0\0\x18ftypmp42")
    scope._handle_custom_msg({"type": "view-open", "view": "v1"}, [])  # rendered, no hello yet
    with pytest.raises(TimeoutError):
        run_coroutine(scope.analyzed(timeout=0.5))


def test_analyzed_raises_when_the_view_fails_before_any_run():
    from facescope.headless import AnalysisError

    scope = FaceScope()
    _sent(scope)
    scope.analyze(b"\0\0\0\x18ftypmp42")
    scope._handle_custom_msg({"type": "view-open", "view": "v1"}, [])
    message = "The Rerun viewer failed to load: WebAssembly.instantiate(): out of memory"
    scope._handle_custom_msg({"type": "view-status", "status": "error", "message": message, "error": ""}, [])
    with pytest.raises(AnalysisError, match="out of memory") as raised:
        run_coroutine(scope.analyzed(timeout=5))
    assert raised.value.code == "environment"


def test_esm_is_the_small_bootstrap():
    esm = str(FaceScope._esm)  # anywidget reads the file into a str subclass
    assert "export" in esm and "facescope/app/facescope-app.js" in esm
    # anywidget aborts a module that takes over 2 s to load: the bootstrap must stay tiny.
    assert len(esm) < 20_000


def test_versions_agree():
    package = json.loads((ROOT / "package.json").read_text())
    assert facescope.__version__ == package["version"]


def test_labextension_paths_point_at_the_built_extension():
    (entry,) = facescope._jupyter_labextension_paths()
    built = Path(facescope.__file__).parent / entry["src"]
    meta = json.loads((built / "package.json").read_text())
    assert entry["dest"] == meta["name"] == "facescope"
    assert (built / "app" / "facescope-app.js").exists()
    assert (built / "app" / "re_viewer_bg.wasm").is_file(), "the viewer wasm must ship with the app"


def test_a_clip_given_in_python_is_offered_then_sent_in_chunks(monkeypatch):
    monkeypatch.setattr("facescope._sync.TO_BROWSER_MESSAGE_BYTES", 1000)
    clip = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"
    scope = FaceScope()
    sent = _sent(scope)
    scope.analyze(clip, num_faces=2)
    assert scope.num_faces == 2
    assert sent == [({"type": "clip-offer", "serial": 1}, None)]
    scope._handle_custom_msg({"type": "clip-request", "view": "v1"}, [])
    scope._handle_custom_msg({"type": "clip-request", "view": "v2"}, [])  # a second view of the widget
    chunks = [(c, b) for c, b in sent[1:] if c["type"] == "clip"]
    assert sent[-1] == ({"type": "clip-none", "to": "v2"}, None)
    assert {c["to"] for c, _ in chunks} == {"v1"}
    data = clip.read_bytes()
    assert len(chunks) == -(-len(data) // 1000)
    assert b"".join(bytes(b[0]) for _, b in chunks) == data
    assert {c["name"] for c, _ in chunks} == {clip.name}
    assert [c["index"] for c, _ in chunks] == list(range(len(chunks)))


def test_unusable_clips_are_refused_before_sending(tmp_path, monkeypatch):
    scope = FaceScope()
    sent = _sent(scope)
    with pytest.raises(FileNotFoundError, match="no such clip"):
        scope.analyze(tmp_path / "missing.mp4")
    with pytest.raises(ValueError, match="empty"):
        scope.analyze(b"")
    for module in ("widget", "headless"):  # each holds facescope._limits' value
        monkeypatch.setattr(f"facescope.{module}.MAX_CLIP_BYTES", 10)
    big = tmp_path / "big.mp4"
    big.write_bytes(b"x" * 11)
    with pytest.raises(ValueError, match="big.mp4 is 0.0 GiB; facescope analyses clips up to"):
        scope.analyze(big)
    with pytest.raises(ValueError, match="the clip is 0.0 GiB; facescope analyses clips up to"):
        scope.analyze(b"x" * 11)
    from facescope import AnalysisError
    from facescope.headless import analyze_file

    with pytest.raises(AnalysisError, match="analyses clips up to") as refused:
        analyze_file(big)
    assert refused.value.code == "too-large"
    with pytest.raises(TypeError, match="unknown option"):
        scope.analyze(b"abc", colour="red")
    assert sent == []


def test_the_wheel_carries_the_built_front_end_once(tmp_path):
    """A wheel installs the anywidget module in the package and the labextension where Jupyter looks."""
    import hashlib
    import zipfile

    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    ext = f"facescope-{facescope.__version__}.data/data/share/jupyter/labextensions/facescope/"
    assert "facescope/static/widget.js" in names
    assert ext + "package.json" in names and ext + "app/facescope-app.js" in names
    wasm = [n for n in names if n.endswith(".wasm")]
    assert any("re_viewer_bg" in n for n in wasm) and any("vision_wasm_internal" in n for n in wasm)
    assert all(n.startswith(ext) for n in wasm), "the 47 MB viewer must not ship twice"
    # The face model travels inside the package (no download at run time), with its licence.
    from facescope.model import MODEL_SHA256

    packaged = zipfile.ZipFile(wheel).read("facescope/models/face_landmarker.task")
    assert hashlib.sha256(packaged).hexdigest() == MODEL_SHA256
    assert "facescope/models/LICENSE" in names and "facescope/models/NOTICE" in names
    # So does the demo clip, with its attribution (CC BY 4.0 asks for it wherever the clip goes).
    assert "facescope/media/grid_4speakers.mp4" in names and "facescope/media/NOTICE.md" in names


def test_results_from_python_are_shown_in_the_widget():
    from facescope._codec import decode_results
    from facescope.results import Results

    results = Results(decode_results(results_message("x", 0, 0, 6)), {"file_name": "batch.mp4"}, b"RRF2...")
    scope = FaceScope(results)
    assert (scope.status, scope.message) == ("done", "batch.mp4: 6 frames, shown from Python")
    assert scope.blendshapes.shape == (6, 53)
    assert run_coroutine(scope.analyzed()).frames == 6


def test_pandas_is_imported_while_the_browser_analyses_not_when_the_first_table_is_asked_for():
    # In a fresh interpreter: this one imported pandas long ago.
    code = (
        "import sys, time, facescope\n"
        "scope = facescope.FaceScope()\n"
        "print('pandas' in sys.modules)\n"
        "scope._handle_custom_msg({'type': 'run-start', 'run': 'r', 'view': 'v', 'fileName': 'a.mp4', 'serial': None}, [])\n"
        "from facescope import widget\n"
        "widget._pandas_import.join(60)\n"
        "print('pandas' in sys.modules)\n"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_record_asks_the_view_that_claims_it_to_record_and_analyzed_waits_for_that_run():
    scope = FaceScope()
    sent = _sent(scope)
    _run(scope, [results_message("r1", 0, 0, 10)])  # an earlier clip's finished run
    del sent[:]
    scope.record(seconds=5, device="Front")
    assert sent == [({"type": "clip-offer", "serial": 1}, None)]
    scope._handle_custom_msg({"type": "clip-request", "view": "v1"}, [])
    scope._handle_custom_msg({"type": "clip-request", "view": "v2"}, [])  # a second view does not record too
    assert sent[1:] == [
        ({"type": "record", "to": "v1", "serial": 1, "seconds": 5.0, "device": "Front"}, None),
        ({"type": "clip-none", "to": "v2"}, None),
    ]
    with pytest.raises(TimeoutError):
        run_coroutine(scope.analyzed(timeout=0.2))  # not the previous clip's run
    _run(
        scope,
        [results_message("r2", 0, 0, 7)],
        serial=1,
        run="r2",
        error={"code": "camera-ended", "message": "The camera stopped while recording"},
    )
    from facescope.headless import AnalysisError

    with pytest.raises(AnalysisError, match="camera stopped") as raised:
        run_coroutine(scope.analyzed(timeout=5))
    assert raised.value.code == "camera-ended" and raised.value.partial.frames == 7


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"seconds": 0}, ValueError, "seconds must be positive"),
        ({"seconds": -3}, ValueError, "seconds must be positive"),
        ({"seconds": "10"}, ValueError, "seconds must be positive"),
        ({"device": 3}, TypeError, "device must be"),
    ],
)
def test_record_refuses_bad_arguments_before_asking_the_browser(kwargs, error, match):
    scope = FaceScope()
    sent = _sent(scope)
    with pytest.raises(error, match=match):
        scope.record(**kwargs)
    assert sent == []


def test_record_without_a_limit_runs_until_stop():
    scope = FaceScope()
    sent = _sent(scope)
    scope.record(seconds=None)
    scope._handle_custom_msg({"type": "clip-request", "view": "v1"}, [])
    assert sent[-1][0] == {"type": "record", "to": "v1", "serial": 1, "seconds": None, "device": None}


def test_analyzed_returns_once_the_view_reports_done_so_status_agrees():
    scope = FaceScope()
    _sent(scope)
    scope.set_state({"status": "analysing"})
    _run(scope, [results_message("r1", 0, 0, 5)])  # the kernel holds the run; the view's "done" is on its way

    async def view_reports_done_later():
        async def later():
            await asyncio.sleep(0.3)
            scope.set_state({"status": "done", "message": "talk.mp4: 5 frames"})

        asyncio.get_running_loop().create_task(later())
        result = await scope.analyzed(timeout=10)
        return result.frames, scope.status

    assert run_coroutine(view_reports_done_later()) == (5, "done")


class _RecordingComm:
    """Just enough of a comm for ipywidgets to send state through: records what it sends."""

    kernel = object()
    comm_id = "recording-comm"

    def __init__(self):
        self.sent: list[dict] = []

    def send(self, data, buffers=None):
        self.sent.append(data)

    def on_msg(self, callback):
        pass


def test_the_views_status_message_sets_the_status_traits_without_echoing_them():
    scope = FaceScope()
    scope.comm = comm = _RecordingComm()
    scope._handle_custom_msg(
        {"type": "view-status", "status": "done", "message": "talk.mp4: 75 frames", "error": ""}, []
    )
    assert (scope.status, scope.message, scope.error) == ("done", "talk.mp4: 75 frames", "")
    assert comm.sent == []  # as if the trait update itself had come: the views already have it
    for bad in ({"status": "finished", "message": "", "error": ""}, {"status": "error", "message": 3, "error": ""}):
        scope._handle_custom_msg({"type": "view-status", **bad}, [])
    assert scope.status == "done"
    scope.set_trait("status", "error")  # what a change made by the kernel does: it is sent
    assert [m["state"] for m in comm.sent if m.get("method") == "update"] == [{"status": "error"}]
