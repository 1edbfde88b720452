"""Where the time of one headless analysis goes: named marks, Python's and the page's, as ms since
the process started (``summary["phases_ms"]``).

Marks are wall-clock epoch ms on both sides (Python's ``time.time()``, the page's
``performance.timeOrigin + performance.now()``): the browser runs on this machine, so one clock
serves both, and the page's marks need no round trip to line up with Python's.

>>> phases = Phases()
>>> phases.mark("analyze_called")
>>> phases.add({"first_frame": phases.epoch_ms()})
>>> list(phases.ms())                                      # doctest: +SKIP
['process_started', 'analyze_called', 'first_frame']
"""

from __future__ import annotations

import os
import time

# The order a run passes them in (Python's marks and the page's, src/headless/driver.ts): the
# bench splits a run into start-up (→ first_frame), analysis (→ last_frame) and finishing (→ files_written).
MARKS = (
    "process_started",
    "analyze_called",
    "browser_launched",
    "page_loaded",
    "clip_loaded",
    "models_ready",
    "first_frame",
    "last_frame",
    "recording_finished",
    "results_in_python",
    "files_written",
)


def process_start_epoch_ms() -> float | None:
    """When this process started (Linux: /proc, 10 ms resolution); None where that is unknown.

    The process's age is read on the boot clock (its start is in clock ticks since boot), not added
    to /proc/stat's ``btime``: that is whole seconds, and would put the start up to 1 s off."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        age_s = time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    return (time.time() - age_s) * 1000


class Phases:
    """Marks of one run; the first of a name counts (a retried step keeps its first time)."""

    def __init__(self) -> None:
        self._marks: dict[str, float] = {}
        started = process_start_epoch_ms()
        if started is not None:
            self._marks["process_started"] = started

    @staticmethod
    def epoch_ms() -> float:
        return time.time() * 1000

    def mark(self, name: str) -> None:
        self._marks.setdefault(name, self.epoch_ms())

    def add(self, marks: dict[str, float] | None) -> None:
        """The page's marks (epoch ms, driver.ts's ``reply.marks``)."""
        for name, at in (marks or {}).items():
            self._marks.setdefault(name, float(at))

    def ms(self) -> dict[str, float]:
        """Every mark as ms since the process started (since the first mark where /proc is not
        there), in the order of ``MARKS``, then any other in time order."""
        if not self._marks:
            return {}
        origin = self._marks.get("process_started", min(self._marks.values()))
        order = {name: i for i, name in enumerate(MARKS)}
        names = sorted(self._marks, key=lambda n: (order.get(n, len(MARKS)), self._marks[n]))
        return {name: round(self._marks[name] - origin, 1) for name in names}
