"""Phase marks (facescope/_phases.py): Python's and the page's on one clock, counted from the
process's start, in the order a run passes them."""

from __future__ import annotations

import time

from facescope._phases import MARKS, Phases, process_start_epoch_ms


def test_the_process_started_before_this_test_and_after_boot():
    started = process_start_epoch_ms()
    assert started is not None and 0 < started <= time.time() * 1000


def test_marks_are_ms_since_the_process_started_in_run_order():
    phases = Phases()
    now = phases.epoch_ms()
    # The page's marks arrive after Python's later ones; the run's order is kept, not arrival order.
    phases.mark("results_in_python")
    phases.add({"first_frame": now - 20, "clip_loaded": now - 40})
    phases.mark("results_in_python")  # a second mark of a name keeps the first
    ms = phases.ms()
    assert list(ms) == ["process_started", "clip_loaded", "first_frame", "results_in_python"]
    assert ms["process_started"] == 0
    assert ms["first_frame"] - ms["clip_loaded"] == 20
    assert set(ms) <= set(MARKS)


def test_without_marks_there_is_nothing_to_say():
    phases = Phases()
    phases._marks.clear()
    assert phases.ms() == {}
