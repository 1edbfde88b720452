"""The kernel side of the widget's messages: parts lost, duplicated, out of order or malformed."""

from __future__ import annotations

import numpy as np
import pytest

from facescope._codec import COLUMN_SPECS, decode_results, encode_results
from facescope._sync import WidgetSync


def results_message(run: str, seq: int, first: int, count: int) -> bytes:
    """`count` frames from `first`, one face each, with recognisable blendshapes (frame / 1000)."""
    frames = np.arange(first, first + count)
    n = {"frame": count, "face": count, "detection": 0}
    cols = {s.name: np.zeros((n[s.rows], *s.inner), dtype=s.dtype) for s in COLUMN_SPECS}
    cols["frame_idx"][:] = frames
    cols["timestamp_us"][:] = frames * 40_000
    cols["face_count"][:] = 1
    cols["blendshapes"][:] = (frames / 1000)[:, None]
    return encode_results(cols, {"run": run, "seq": seq})


class Browser:
    """Records what the kernel sends back."""

    def __init__(self) -> None:
        self.sent: list[tuple[dict, list]] = []

    def __call__(self, content: dict, buffers: list | None = None) -> None:
        self.sent.append((content, list(buffers or [])))

    def of(self, kind: str) -> list[dict]:
        return [c for c, _ in self.sent if c["type"] == kind]


def start(sync: WidgetSync, run: str = "r1", view: str = "v1", serial: int | None = None) -> None:
    sync.handle({"type": "run-start", "run": run, "view": view, "fileName": "talk.mp4", "serial": serial}, [])


def part(
    sync: WidgetSync, seq: int, data: bytes, kind: str = "results", run: str = "r1", offset: int | None = None
) -> None:
    header = {"seq": seq, "kind": kind}
    if offset is not None:
        header["offset"] = offset
    sync.handle({"type": "run-parts", "run": run, "parts": [header]}, [memoryview(data)])


def parts_message(*headers: dict, run: str = "r1") -> dict:
    return {"type": "run-parts", "run": run, "parts": list(headers)}


def end(sync: WidgetSync, parts: int, run: str = "r1", error: dict | None = None) -> None:
    sync.handle(
        {"type": "run-end", "run": run, "parts": parts, "summary": {"frames": 30}, "error": error, "cancelled": False},
        [],
    )


def test_parts_in_any_order_with_duplicates_make_one_batch_and_each_is_acknowledged():
    browser = Browser()
    sync = WidgetSync(browser)
    start(sync)
    messages = [results_message("r1", s, s * 10, 10) for s in range(3)]
    for seq in (2, 0, 2, 1, 0):
        part(sync, seq, messages[seq])
    end(sync, 3)
    assert [c["seqs"] for c in browser.of("run-ack")] == [[2], [0], [2], [1], [0]]
    batch = sync.run.batch()
    assert batch.columns["frame_idx"].tolist() == list(range(30))
    np.testing.assert_allclose(batch.columns["blendshapes"][:, 5], np.arange(30) / 1000, rtol=1e-6)
    assert sync.run.complete and browser.of("run-complete") == [{"type": "run-complete", "run": "r1"}]
    assert sync.refused == []


def test_a_lost_part_is_asked_for_again_and_completes_the_run_when_it_comes():
    browser = Browser()
    changes: list[int] = []
    sync = WidgetSync(browser, on_change=lambda: changes.append(1))
    start(sync)
    messages = [results_message("r1", s, s * 10, 10) for s in range(3)]
    part(sync, 0, messages[0])
    part(sync, 2, messages[2])
    end(sync, 3)
    assert browser.of("run-resend") == [{"type": "run-resend", "run": "r1", "seqs": [1]}]
    assert not sync.run.complete and browser.of("run-complete") == []
    assert sync.run.batch().columns["frame_idx"].tolist() == list(range(10)) + list(range(20, 30))
    part(sync, 1, messages[1])
    assert sync.run.complete and len(browser.of("run-complete")) == 1
    assert sync.run.batch().frames == 30 and changes


def test_recording_slices_join_into_one_stream_up_to_the_first_hole():
    sync = WidgetSync(Browser())
    start(sync)
    part(sync, 0, b"RRF2head", kind="recording", offset=0)
    part(sync, 2, b"tail", kind="recording", offset=12)
    assert sync.run.recording() == b"RRF2head"
    part(sync, 1, b"mid!", kind="recording", offset=8)
    part(sync, 1, b"mid!", kind="recording", offset=8)
    assert sync.run.recording() == b"RRF2headmid!tail"


@pytest.mark.parametrize(
    "content, buffers, reason",
    [
        (parts_message({"seq": -1, "kind": "results"}), [b"x"], "non-negative"),
        (parts_message({"seq": 0, "kind": "video"}), [b"x"], "unknown kind"),
        (parts_message({"seq": 0, "kind": "results"}), [b"not a results message"], "does not decode"),
        (parts_message({"seq": 0, "kind": "results"}), [], "without its bytes"),
        (parts_message({"seq": 1, "kind": "recording"}), [b"x"], "offset"),
        (parts_message({"kind": "results"}), [b"x"], "malformed part header"),
        ({"type": "run-parts", "run": "r1", "parts": []}, [], "without parts"),
        ({"type": "run-parts", "run": "r1"}, [b"x"], "malformed run-parts"),
        ({"type": "run-end", "run": "r1", "parts": "three"}, [], "inconsistent"),
    ],
)
def test_malformed_messages_are_refused_with_a_reason_and_change_nothing(content, buffers, reason, caplog):
    sync = WidgetSync(Browser())
    start(sync)
    part(sync, 0, results_message("r1", 0, 0, 5))
    sync.handle(content, buffers)
    assert reason in sync.refused[-1] and "refused" in caplog.text
    assert sync.run.batch().frames == 5 and not sync.run.ended


def test_several_parts_in_one_message_get_one_acknowledgement_and_a_bad_one_spoils_only_itself():
    browser = Browser()
    sync = WidgetSync(browser)
    start(sync)
    sync.handle(
        parts_message(
            {"seq": 0, "kind": "results"},
            {"seq": 1, "kind": "recording", "offset": 0},
            {"seq": 2, "kind": "results"},
            {"seq": 3, "kind": "recording"},
        ),
        [results_message("r1", 0, 0, 5), b"RRF2head", results_message("r1", 2, 5, 5), b"no offset"],
    )
    assert browser.of("run-ack") == [{"type": "run-ack", "run": "r1", "seqs": [0, 1, 2]}]
    assert "recording part 3 has no valid offset" in sync.refused[-1]
    assert sync.run.batch().frames == 10 and sync.run.recording() == b"RRF2head"
    end(sync, 4)
    assert browser.of("run-resend")[-1]["seqs"] == [3]


def test_a_part_labelled_for_another_run_or_changed_on_resend_is_refused():
    sync = WidgetSync(Browser())
    start(sync)
    part(sync, 0, results_message("r0", 0, 0, 5))
    assert "labelled run 'r0'" in sync.refused[-1]
    part(sync, 1, b"abc", kind="recording", offset=0)
    part(sync, 1, b"abd", kind="recording", offset=0)
    assert "different contents" in sync.refused[-1]
    assert sync.run.recording() == b"abc"


def test_a_new_run_replaces_the_old_one_whose_late_parts_are_acknowledged_and_dropped():
    browser = Browser()
    sync = WidgetSync(browser)
    start(sync, "r1")
    part(sync, 0, results_message("r1", 0, 0, 5))
    start(sync, "r2")
    part(sync, 1, results_message("r1", 1, 5, 5), run="r1")
    end(sync, 2, run="r1")
    assert browser.of("run-ack")[-1] == {"type": "run-ack", "run": "r1", "seqs": [1]}
    assert browser.of("run-complete")[-1] == {"type": "run-complete", "run": "r1"}  # so r1's sender stops
    assert sync.run.run == "r2" and sync.run.batch().frames == 0


def test_a_clip_goes_to_the_first_view_that_claims_it_only():
    browser = Browser()
    sync = WidgetSync(browser)
    serial = sync.offer_clip("talk.mp4", b"x" * 10)
    sync.handle({"type": "clip-request", "view": "v1"}, [])
    sync.handle({"type": "clip-request", "view": "v2"}, [])
    clips = browser.of("clip")
    assert [c["to"] for c in clips] == ["v1"] and clips[0]["serial"] == serial
    start(sync, serial=serial)
    sync.handle({"type": "clip-request", "view": "v3"}, [])  # a view shown later does not analyse it again
    assert len(browser.of("clip")) == 1
    # The views that got nothing are told so (they may then say they wait for a dropped clip).
    assert browser.of("clip-none") == [{"type": "clip-none", "to": "v2"}, {"type": "clip-none", "to": "v3"}]


def test_a_view_claiming_when_there_is_no_clip_hears_so_at_once():
    browser = Browser()
    sync = WidgetSync(browser)
    sync.handle({"type": "clip-request", "view": "v1"}, [])
    assert browser.sent == [({"type": "clip-none", "to": "v1"}, [])]


def test_a_view_that_appears_later_gets_the_recording_of_a_finished_run():
    browser = Browser()
    sync = WidgetSync(browser)
    start(sync)
    part(sync, 0, b"R" * 20, kind="recording", offset=0)
    end(sync, 1)
    sync.handle({"type": "hello", "view": "v1", "shows": "r1"}, [])
    assert browser.of("restore") == []  # it shows that run already
    sync.handle({"type": "hello", "view": "v2", "shows": None}, [])
    ((content, buffers),) = [(c, b) for c, b in browser.sent if c["type"] == "restore"]
    assert content == {"type": "restore", "to": "v2", "run": "r1", "index": 0, "count": 1, "size": 20}
    assert bytes(buffers[0]) == b"R" * 20


def test_a_run_whose_page_went_away_ends_interrupted_and_keeps_its_results():
    browser = Browser()
    scheduled: list = []
    sync = WidgetSync(browser, schedule=lambda delay, callback: scheduled.append(callback))
    start(sync)
    part(sync, 0, results_message("r1", 0, 0, 7))
    part(sync, 1, b"RRF2....", kind="recording", offset=0)
    sync.handle({"type": "hello", "view": "v2", "shows": None}, [])  # the reloaded page
    assert browser.of("ping") == [{"type": "ping", "view": "v1"}]
    scheduled.pop()()  # nobody answered
    assert sync.run.interrupted and sync.run.complete
    assert "after 7 frames" in sync.run.error["message"]
    assert browser.of("restore")[0]["to"] == "v2"


def test_a_run_whose_page_answers_the_ping_goes_on():
    browser = Browser()
    scheduled: list = []
    sync = WidgetSync(browser, schedule=lambda delay, callback: scheduled.append(callback))
    start(sync)
    sync.handle({"type": "hello", "view": "v2", "shows": None}, [])
    sync.handle({"type": "pong", "view": "v1"}, [])
    scheduled.pop()()
    assert not sync.run.interrupted and not sync.run.ended


def test_results_from_python_become_a_finished_run_that_views_can_show():
    browser = Browser()
    sync = WidgetSync(browser)
    batch = decode_results(results_message("x", 0, 0, 4))
    run = sync.adopt(batch, {"frames": 4}, b"RRF2 recording", "clip.mp4")
    assert run.complete and run.batch().frames == 4 and run.recording() == b"RRF2 recording"
    assert browser.of("run-offer") == [{"type": "run-offer", "run": run.run}]
    sync.handle({"type": "hello", "view": "v1", "shows": None}, [])
    assert browser.of("restore")[0]["to"] == "v1"


def test_a_view_asking_whether_its_kernel_still_knows_the_widget_gets_an_answer_at_once():
    # The view's KernelWatch takes "idle" for a probe without this answer as a restarted kernel.
    browser = Browser()
    sync = WidgetSync(browser)
    sync.handle({"type": "kernel-ping", "view": "v1", "id": 7}, [])
    assert browser.of("kernel-pong") == [{"type": "kernel-pong", "view": "v1", "id": 7}]
    sync.handle({"type": "kernel-ping", "view": "v1"}, [])  # malformed: refused, not answered
    assert len(browser.of("kernel-pong")) == 1 and sync.refused
