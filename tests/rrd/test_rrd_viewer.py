"""The TS writer's sample streamed into the real @rerun-io/web-viewer 0.33.0 in headless Chromium."""

from __future__ import annotations

import base64
import re
import shutil
import struct
import subprocess
import time

import pytest

from tests.browser import ROOT, artifact, serve_directory

HARNESS = ROOT / "build" / "harness"
# What the viewer prints when it rejects or mangles data (decoder, sorbet schema, deserialisation,
# a footer it finds inconsistent).
BAD_CONSOLE = re.compile(r"decode|sorbet|deserializ|data source has left|mismatch|footer|corrupt", re.I)
HEADER = bytes.fromhex("525246320021000000020000")


@pytest.fixture(scope="module")
def harness_url():
    npx = shutil.which("npx") or "npx"
    done = subprocess.run(
        [npx, "webpack", "--config", "tests/harness/webpack.config.js"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (HARNESS / "rrd_viewer.js").exists() and (HARNESS / "re_viewer_bg.wasm").exists()
    with serve_directory(HARNESS) as url:
        yield url


class ViewerPage:
    def __init__(self, browser, url: str, routes: dict[str, bytes] | None = None):
        self.page = browser.new_page(viewport={"width": 1024, "height": 640})
        self.console: list[tuple[str, str]] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))
        for name, body in (routes or {}).items():
            self.page.route(f"**/{name}", self._serve(body))
        self.page.goto(url + "rrd_viewer.html")
        self.page.wait_for_function("window.rrdHarness !== undefined", timeout=30_000)
        self.page.evaluate("rrdHarness.start()")

    @staticmethod
    def _serve(body: bytes):
        # One-argument handler: Playwright passes (route, request) to two-parameter callables.
        return lambda route: route.fulfill(body=body, content_type="application/octet-stream")

    def send(self, data: bytes) -> None:
        self.page.evaluate("b => rrdHarness.sendBase64(b)", base64.b64encode(data).decode())

    def wait_console(self, pattern: re.Pattern, timeout: float = 20) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hits = [t for _k, t in self.console if pattern.search(t)]
            if hits:
                return hits
            self.page.wait_for_timeout(200)
        return []

    def bad_lines(self) -> list[str]:
        return [
            f"{k}: {t}" for k, t in self.console if k in ("warning", "error", "pageerror") and BAD_CONSOLE.search(t)
        ]


def test_sample_opens_and_reports_time_ranges(browser, harness_url, sample):
    """The sample is a finished file, footer included: what a view gets when it shows a recording
    from the kernel (streams during an analysis carry no footer)."""
    assert sample["path"].read_bytes()[-12:-4] == b"RRF2FOOT"
    viewer = ViewerPage(browser, harness_url, {"sample.rrd": sample["path"].read_bytes()})
    page = viewer.page
    assert page.evaluate("rrdHarness.sendUrl('sample.rrd')") == sample["bytes"]
    page.wait_for_function(
        "rrdHarness.events.some(e => e.type === 'recording_open' && e.recording_id === 'facescope-sample')",
        timeout=30_000,
    )
    opened = [e for e in page.evaluate("rrdHarness.events") if e["type"] == "recording_open"]
    assert opened[0]["application_id"] == "facescope_rrd_sample"
    assert opened[0]["source"] == "facescope rrd sample"

    def ranges():
        return {
            t: page.evaluate("([r, t]) => rrdHarness.timeRange(r, t)", ["facescope-sample", t])
            for t in ("frame_idx", "time")
        }

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and ranges()["frame_idx"] != {"min": 0, "max": sample["lastFrameIdx"]}:
        page.wait_for_timeout(250)
    got = ranges()
    assert got["frame_idx"] == {"min": 0, "max": sample["lastFrameIdx"]}
    # Duration timelines are reported in nanoseconds.
    assert got["time"] == {"min": 0, "max": sample["lastTimeNs"]}

    page.wait_for_timeout(3000)  # let views, the video decoder and the images settle
    page.screenshot(path=str(artifact("rrd_viewer_sample.png")))
    assert viewer.bad_lines() == [], "\n".join(viewer.bad_lines())
    page.close()


def _message(kind: int, body: bytes) -> bytes:
    return struct.pack("<QQ", kind, len(body)) + body


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("not an rrd", b"this is not an rrd stream at all", r"Failed to decode .rrd: .*Not an RRD file"),
        (
            "pre-0.23 version",
            bytes.fromhex("525246320016000000020000") + _message(1, b"\x00"),
            r"Failed to decode .rrd: .*version 0\.22\.0, which is incompatible",
        ),
        (
            "garbage first message",
            HEADER + _message(2, b"\xff\xff\xff\xff\xff"),
            r"Failed to decode .rrd: .*Protobuf error",
        ),
    ],
)
def test_malformed_stream_is_reported(browser, harness_url, name, data, expected):
    viewer = ViewerPage(browser, harness_url)
    viewer.send(data)
    hits = viewer.wait_console(re.compile(expected, re.I))
    assert hits, f"{name}: nothing reported; console was:\n" + "\n".join(t for _k, t in viewer.console[-20:])
    assert not viewer.page.evaluate("rrdHarness.events").__len__()
    viewer.page.close()


def test_bad_later_message_is_reported(browser, harness_url, sample):
    """Only the first message is fatal; a broken later one must still show up as a warning."""
    raw = sample["path"].read_bytes()
    kind, length = struct.unpack_from("<QQ", raw, 12)
    assert kind == 1  # the sample starts with SetStoreInfo
    first = raw[: 12 + 16 + length]
    viewer = ViewerPage(browser, harness_url)
    viewer.send(first + _message(2, b"\x0a\x02\xff\xff"))
    hits = viewer.wait_console(re.compile(r"Failed to decode message", re.I))
    assert hits, "\n".join(t for _k, t in viewer.console[-20:])
    viewer.page.close()


def test_a_footer_from_another_file_is_reported(browser, harness_url, sample):
    """Why streams for the viewer carry no footer: the footer's offsets are the file's, and a stream
    whose footer points past its own bytes is logged as corrupt. Also guards BAD_CONSOLE's footer
    words: the sample test above would see this line."""
    raw = sample["path"].read_bytes()
    kind, length = struct.unpack_from("<QQ", raw, 12)
    assert kind == 1
    end_at = struct.unpack_from("<Q", raw, len(raw) - 32)[0] - 16  # the End message
    viewer = ViewerPage(browser, harness_url)
    viewer.send(raw[: 12 + 16 + length] + raw[end_at:])
    hits = viewer.wait_console(re.compile(r"corrupt footer", re.I))
    assert hits, "\n".join(t for _k, t in viewer.console[-20:])
    assert viewer.bad_lines()
    viewer.page.close()
