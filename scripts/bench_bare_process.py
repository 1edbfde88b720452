"""The Python side of scripts/bench_hosts.py's bare page, in a process of its own so that each first
load meets a Python that has not imported facescope nor compressed its front end yet (as a new kernel).

    bench_bare_process.py CLIP   (stdin: one "show" per display; stdout: one JSON line per answer)

It serves tests/e2e/bare_host.py's page and, per "show", makes a new `FaceScope(CLIP)` there (the
import included, as in a notebook's cell) and answers {"t0": epoch ms before it, "url": its page}.
Earlier widgets are kept, as a kernel keeps a cell's earlier output's widget.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.e2e.bare_host import bare_host  # noqa: E402


def main() -> None:
    clip = sys.argv[1]
    shown = []

    def make():
        from facescope import FaceScope

        return FaceScope(clip, height=420)

    with bare_host() as host:
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            if line.strip() != "show":
                break
            t0 = time.time() * 1000
            scope = host.create(make)
            shown.append(scope)
            print(json.dumps({"t0": t0, "url": host.page_url(scope)}), flush=True)


if __name__ == "__main__":
    main()
