"""Where the analysis workers spend their CPU: a V8 sampling profile of every worker of the harness page.

    .venv/bin/python scripts/profile_workers.py [--clip bench/grid_640x360_h264.mp4] [--cores 2] [--seconds 4]

Runs the analysis harness (tests/harness, built by `make build`) on the clip and, from the moment its
workers start, samples each of them for `--seconds`; prints each worker's busy time split into wasm,
JS and idle, and its top functions by self time. tasks-vision's wasm has no name section, so model
kernels show as wasm-function[N]. The workers are reached through the page's DevTools session
(Target.setAutoAttach, then Target.sendMessageToTarget), which Playwright's CDPSession can carry.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser import MEDIA, MODEL, launch, serve_directory  # noqa: E402


def summarize(name: str, profile: dict, top: int) -> None:
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    self_us: collections.Counter = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"][1:] + [0], strict=True):
        frame = nodes[sample]
        self_us[(frame["functionName"] or "(anonymous)", frame["url"].rsplit("/", 1)[-1][:32])] += delta
    kinds: collections.Counter = collections.Counter()
    for (fn, url), us in self_us.items():
        kinds["idle" if fn == "(idle)" else "wasm" if url.endswith(".wasm") else "js/other"] += us / 1000
    busy = sum(kinds.values()) - kinds["idle"]
    print(f"== worker {name}: busy {busy:.0f} ms (" + ", ".join(f"{k} {v:.0f} ms" for k, v in kinds.items()) + ")")
    for (fn, url), us in self_us.most_common(top):
        if fn != "(idle)":
            print(f"   {us / 1000:8.1f} ms {100 * us / 1000 / max(busy, 1):5.1f} %  {fn}  {url}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clip", default="bench/grid_640x360_h264.mp4", help="path under shared/media")
    ap.add_argument("--cores", type=int, default=2, help="navigator.hardwareConcurrency the page sees")
    ap.add_argument("--seconds", type=float, default=4.0, help="how long to sample once the workers run")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        root = Path(tmp)
        (root / "harness").symlink_to(ROOT / "build" / "harness")
        (root / "media").symlink_to(MEDIA)
        (root / "models").symlink_to(MODEL.parent)
        with serve_directory(root) as url:
            browser = launch(p)
            page = browser.new_page()
            cdp = page.context.new_cdp_session(page)
            workers: dict[str, str] = {}
            replies: dict[int, dict] = {}
            cdp.on(
                "Target.attachedToTarget",
                lambda e: (
                    e["targetInfo"]["type"] == "worker" and workers.setdefault(e["sessionId"], e["targetInfo"]["url"])
                ),
            )
            cdp.on(
                "Target.receivedMessageFromTarget",
                lambda e: (m := json.loads(e["message"])).get("id") and replies.setdefault(m["id"], m),
            )
            cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False})
            ids = iter(range(1, 1 << 30))

            def send(session: str, method: str, params: dict | None = None) -> int:
                msg_id = next(ids)
                cdp.send(
                    "Target.sendMessageToTarget",
                    {
                        "sessionId": session,
                        "message": json.dumps({"id": msg_id, "method": method, "params": params or {}}),
                    },
                )
                return msg_id

            page.goto(url + "harness/analysis.html")
            page.wait_for_function("window.facescopeAnalysis && window.facescopeAnalysis.ready")
            page.evaluate(
                "req => { window.profiled = window.facescopeAnalysis.run(req); }",
                {"clipUrl": url + "media/" + args.clip, "modelUrl": url + "models/" + MODEL.name, "cores": args.cores},
            )
            started: list[str] = []
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(started) < (3 if args.cores >= 2 else 1):
                page.wait_for_timeout(20)
                for session in workers:
                    if session not in started:
                        started.append(session)
                        send(session, "Profiler.enable")
                        send(session, "Profiler.setSamplingInterval", {"interval": 250})
                        send(session, "Profiler.start")
            page.wait_for_timeout(args.seconds * 1000)
            stops = {session: send(session, "Profiler.stop") for session in started}
            while not all(i in replies for i in stops.values()):
                page.wait_for_timeout(50)
            frames = page.evaluate("async () => (await window.profiled).frames.length")
            print(f"{args.clip}: {frames} frames, {len(started)} workers sampled for {args.seconds:g} s")
            for n, (session, msg_id) in enumerate(stops.items()):
                summarize(
                    f"{n} ({workers[session].rsplit('/', 1)[-1]})", replies[msg_id]["result"]["profile"], args.top
                )
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
