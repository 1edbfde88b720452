"""A still image's recording (``facescope analyze IMAGE``) in the real @rerun-io/web-viewer 0.33.0:
the page must stay responsive. The 0.33 viewer plays an EncodedImage as a one-sample image
sequence; logged static, that sample blocked the page's main thread for 10+ s again and again as
soon as a view showed it (issue #6), so the widget never reported on a still. facescope logs the
still's picture at the still's one time point instead; this checks both the layout (Rerun's reader)
and the viewer's behaviour (a heartbeat in the harness page), with Rerun's own SDK output as the
control that shows the probe catches the freeze."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from itertools import pairwise

import pytest
import rerun as rr
import rerun.blueprint as rrb
from rerun.experimental import RrdReader

from tests.browser import MEDIA, ROOT, artifact, serve_directory
from tests.headless.conftest import run_cli

# Our recordings end with a footer: the reader's warning for a file without one is a failure.
pytestmark = pytest.mark.filterwarnings("error:RRD file has no footer")

STILL = MEDIA / "stills" / "skimage_astronaut.png"
HARNESS = ROOT / "build" / "harness"
# The page logs a heartbeat every BEAT ms. Opening a recording legitimately blocks it once while
# the viewer builds its views in SwiftShader (12-15 s measured on 2 busy cores, clips too); after
# that the longest gap is ~2 s. The bug gave no heartbeat at all for 30-60 s, or gaps of 10+ s.
BEAT = 250
SETTLE_S = 90  # the first heartbeat after the opening block must come within this
WATCH_S = 20  # then the page is watched this long
MAX_GAP_MS = 5000  # generous, and still well below the 10+ s freeze


@pytest.fixture(scope="module")
def harness_url():
    done = subprocess.run(
        [shutil.which("npx") or "npx", "webpack", "--config", "tests/harness/webpack.config.js"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with serve_directory(HARNESS) as url:
        yield url


@pytest.fixture(scope="module")
def still_run(app_built, tmp_path_factory):
    run = run_cli(STILL, tmp_path_factory.mktemp("still") / "out", timeout=300)
    assert run.returncode == 0, run.stderr
    return run


@dataclass
class Responsiveness:
    opened: bool  # a heartbeat came within SETTLE_S of sending (the opening block ended)
    settle_s: float  # page time from sending to that heartbeat (SETTLE_S if none came)
    worst_gap_ms: float  # longest gap between heartbeats while watched afterwards
    beats: int

    @property
    def responsive(self) -> bool:
        return self.opened and self.beats >= WATCH_S * 1000 / BEAT / 2 and self.worst_gap_ms < MAX_GAP_MS


def load_and_watch(browser, url: str, rrd: bytes, shot: str) -> Responsiveness:
    """Sends `rrd` to the harness viewer and watches the page's heartbeat. Only console messages and
    driver-side waits are used once the data is sent: anything evaluated in a frozen page would hang."""
    page = browser.new_page(viewport={"width": 1024, "height": 640})
    beats: list[float] = []  # page time (performance.now) of each heartbeat
    page.on("console", lambda m: beats.append(float(m.text[5:])) if m.text.startswith("beat ") else None)
    page.route("**/recording.rrd", lambda route: route.fulfill(body=rrd, content_type="application/octet-stream"))
    page.goto(url + "rrd_viewer.html")
    page.wait_for_function("window.rrdHarness !== undefined", timeout=30_000)
    page.evaluate("rrdHarness.start()")
    page.wait_for_timeout(2000)  # the empty viewer's own start-up is not what is measured
    sent = page.evaluate(f"""async () => {{
        setInterval(() => console.log('beat ' + performance.now()), {BEAT});
        await rrdHarness.sendUrl('recording.rrd');
        return performance.now(); }}""")
    deadline = time.monotonic() + SETTLE_S
    while time.monotonic() < deadline and not any(b > sent + BEAT * 2 for b in beats):
        page.wait_for_timeout(250)
    after = [b for b in beats if b > sent + BEAT * 2]
    if not after:
        page.close()  # closing a frozen page does not need its main thread
        return Responsiveness(False, SETTLE_S, float("inf"), 0)
    start = after[0]
    page.wait_for_timeout(WATCH_S * 1000)
    watched = [start] + [b for b in beats if start < b <= start + WATCH_S * 1000]
    gaps = [b - a for a, b in pairwise(watched)]
    # The window's end counts too: a page frozen since its last beat has a gap up to now.
    tail = start + WATCH_S * 1000 - watched[-1]
    result = Responsiveness(True, (start - sent) / 1000, max(gaps + [tail]), len(watched) - 1)
    if result.responsive:
        page.screenshot(path=str(artifact(shot)))
    page.close()
    return result


def test_still_picture_sits_at_the_stills_time_point(still_run):
    """Rerun's reader: the picture is on /video at frame_idx 0 / time 0, with the results, never static."""
    images, results = [], {}
    for chunk in RrdReader(still_run.out / "recording.rrd").stream().to_chunks():
        batch = chunk.to_record_batch()
        if "EncodedImage:blob" in batch.schema.names:
            images.append((chunk.entity_path, chunk.is_static, batch))
        if chunk.entity_path == "/blendshapes/0/jawOpen":
            results = {t: batch.column(t) for t in ("frame_idx", "time")}
    assert [(path, static) for path, static, _ in images] == [("/video", False)]
    batch = images[0][2]
    assert batch.column("frame_idx").to_pylist() == [0] == results["frame_idx"].to_pylist()
    assert [t.value for t in batch.column("time")] == [0] == [t.value for t in results["time"]]
    assert batch.column("EncodedImage:media_type").to_pylist() == [["image/png"]]
    assert bytes(batch.column("EncodedImage:blob")[0][0].values.to_numpy()) == STILL.read_bytes()


def test_still_recording_keeps_the_viewer_responsive(browser, harness_url, still_run, measure):
    got = load_and_watch(browser, harness_url, (still_run.out / "recording.rrd").read_bytes(), "still_in_viewer.png")
    measure(f"still recording in the viewer: {got}")
    assert got.responsive, got


def test_probe_catches_the_static_encoded_image_freeze(browser, harness_url, tmp_path, measure):
    """Control: Rerun's own SDK writes a static EncodedImage shown in a 2D view, and the 0.33 viewer
    freezes on it. If this starts passing as responsive, the viewer was fixed (or the probe broke)."""
    path = tmp_path / "sdk_static_image.rrd"
    rec = rr.RecordingStream("facescope", recording_id="sdk-static-image")
    rec.save(str(path), default_blueprint=rrb.Blueprint(rrb.Spatial2DView(origin="video"), auto_views=False))
    rec.log("video", rr.EncodedImage(contents=STILL.read_bytes(), media_type="image/png"), static=True)
    rec.flush()
    rec.disconnect()
    got = load_and_watch(browser, harness_url, path.read_bytes(), "sdk_static_image_in_viewer.png")
    measure(f"static EncodedImage (Rerun SDK) in the viewer: {got}")
    assert not got.responsive, got
