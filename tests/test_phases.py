"""Phase marks (facescope/_phases.py): Python's and the page's on one clock, counted from the
process's start, in the order a run passes them."""

from __future__ import annotations

import subprocess
import sys
import time

from facescope._phases import MARKS, Phases, process_start_epoch_ms


def test_the_process_started_before_this_test_and_after_boot():
    started = process_start_epoch_ms()
    assert started is not None and 0 < started <= time.time() * 1000


def test_a_new_process_knows_when_it_started_to_within_its_clock_tick():
    # /proc/stat's btime is whole seconds: a start derived from it is up to 1 s off.
    before = time.time() * 1000
    out = subprocess.run(
        [sys.executable, "-c", "from facescope._phases import process_start_epoch_ms as s; print(s())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    after = time.time() * 1000
    started = float(out)
    assert before - 25 <= started <= after, (before, started, after)
    assert started - before < 500  # the interpreter starts within ms of being spawned


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
