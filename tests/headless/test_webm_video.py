"""WebM and Matroska clips carry their real video in the recording, as MP4 clips do: `facescope
analyze` remuxes the clip's own encoded frames into one MP4 AssetVideo, and every frame's
VideoFrameReference points at one of that MP4's frame times (as Rerun's reader gives them)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import rerun as rr
from rerun.experimental import RrdReader

from tests.browser import MEDIA, artifact
from tests.e2e.notebook_page import picture_share
from tests.headless.conftest import TALKING, run_cli
from tests.rrd.test_rrd_viewer import ViewerPage, harness_url  # noqa: F401  (a fixture)

# Our recordings end with a footer: the reader's warning for a file without one is a failure.
pytestmark = pytest.mark.filterwarnings("error:RRD file has no footer")

BELLTOWER = MEDIA / "c_noface_tos_belltower_vp8.webm"
# clip name → (how to make it from the talking clip, or None for a shared clip; frames; ffprobe codec)
CLIPS = {
    "belltower_vp8.webm": (None, 48, "vp8"),
    "talking_vp9.webm": (["-c:v", "libvpx-vp9", "-b:v", "1M"], 20, "vp9"),
    "talking_av1.webm": (["-c:v", "libaom-av1", "-cpu-used", "8", "-b:v", "300k"], 20, "av1"),
    # Copied, not re-encoded: the talking clip's H.264 has B-frames, so decode and presentation order differ.
    "talking_h264.mkv": (["-c:v", "copy"], 20, "h264"),
}


def _ffmpeg(*args: str) -> str:
    return subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, capture_output=True, text=True).stdout


def packets(path: Path) -> list[str]:
    """The video stream's packets as ffmpeg reads them without decoding: one md5 per packet, in file order."""
    lines = _ffmpeg("-i", str(path), "-map", "0:v", "-c", "copy", "-f", "framemd5", "-").splitlines()
    return [line.rsplit(",", 1)[1].strip() for line in lines if line and not line.startswith("#")]


def decoded_frames(path: Path) -> tuple[str, int]:
    """Codec and number of frames ffprobe decodes from the file's video stream."""
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=codec_name,nb_read_frames",
            "-of",
            "json",
            str(path),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    stream = json.loads(out)["streams"][0]
    return stream["codec_name"], int(stream["nb_read_frames"])


class Analysed:
    def __init__(self, clip: Path, out: Path) -> None:
        run = run_cli(clip, out)
        assert run.returncode == 0, run.stderr
        self.clip = clip
        self.summary = json.loads((out / "summary.json").read_text())
        self.rrd = out / "recording.rrd"
        self.blobs: list[bytes] = []
        self.references: dict[int, int] = {}  # frame_idx → VideoFrameReference timestamp, ns
        for chunk in RrdReader(self.rrd).stream().to_chunks():
            if chunk.entity_path != "/video":
                continue
            batch = chunk.to_record_batch()
            if "AssetVideo:blob" in batch.schema.names:
                self.blobs += [bytes(b[0]) for b in batch.column("AssetVideo:blob").to_pylist() if b]
            if "VideoFrameReference:timestamp" in batch.schema.names:
                for f, ts in zip(
                    batch.column("frame_idx").to_pylist(),
                    batch.column("VideoFrameReference:timestamp").to_pylist(),
                    strict=True,
                ):
                    self.references[f] = ts[0]
        self.mp4 = out / "video.mp4"
        if self.blobs:
            self.mp4.write_bytes(self.blobs[0])


@pytest.fixture(scope="module")
def analysed(app_built, tmp_path_factory) -> dict[str, Analysed]:
    tmp = tmp_path_factory.mktemp("webm")
    runs = {}
    for name, (args, _frames, _codec) in CLIPS.items():
        clip = BELLTOWER
        if args is not None:
            clip = tmp / name
            _ffmpeg("-i", str(TALKING), "-map", "0:v", "-frames:v", "20", *args, str(clip))
        runs[name] = Analysed(clip, tmp / f"out_{name}")
    return runs


@pytest.mark.parametrize("name", CLIPS)
def test_the_recording_holds_the_clip_as_one_mp4_with_every_frame(analysed, name):
    run = analysed[name]
    _args, frames, codec = CLIPS[name]
    assert run.summary["kind"] == "webm" and run.summary["frames"] == frames, run.summary
    assert run.summary["video_error"] is None, run.summary["video_error"]
    assert len(run.blobs) == 1, f"{len(run.blobs)} AssetVideo blobs"
    times = rr.AssetVideo(contents=run.blobs[0], media_type="video/mp4").read_frame_timestamps_nanos().tolist()
    assert len(times) == frames
    # ffprobe decodes every frame, of the clip's own codec: remuxed, not re-encoded.
    assert decoded_frames(run.mp4) == (codec, frames)
    # The very packets of the clip, in the same (decode) order.
    assert packets(run.mp4) == packets(run.clip)


@pytest.mark.parametrize("name", CLIPS)
def test_every_frame_references_its_own_time_in_the_mp4(analysed, name):
    run = analysed[name]
    frames = CLIPS[name][1]
    times = rr.AssetVideo(contents=run.blobs[0], media_type="video/mp4").read_frame_timestamps_nanos().tolist()
    assert sorted(run.references) == list(range(frames))
    assert set(run.references.values()) <= set(times)
    # Frame i shows the MP4's i-th frame: references in frame order are exactly Rerun's frame times.
    assert [run.references[i] for i in range(frames)] == times
    # And those are the clip's own presentation times (ffprobe's, from its first frame).
    pts = sorted(
        float(t)
        for t in subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-show_entries",
                "packet=pts_time",
                "-of",
                "csv=p=0",
                str(run.clip),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    )
    assert [round((t - pts[0]) * 1e9) for t in pts] == pytest.approx(times, abs=1000)


# The 2D video view in the harness's 1024×640 page: the top of the middle column.
VIDEO_VIEW = (0.41, 0.09, 0.70, 0.46)


@pytest.mark.parametrize("name", CLIPS)
def test_the_viewer_shows_the_clips_frames(analysed, browser, harness_url, name):  # noqa: F811
    run = analysed[name]
    viewer = ViewerPage(browser, harness_url, {"clip.rrd": run.rrd.read_bytes()})
    page = viewer.page
    page.evaluate("rrdHarness.sendUrl('clip.rrd')")
    page.wait_for_function("rrdHarness.events.some(e => e.type === 'recording_open')", timeout=60_000)
    shot = artifact(f"webm_video_{name}.png")
    share = 0.0
    for _ in range(20):  # the video decoder's first frame arrives a moment after the recording opens
        page.wait_for_timeout(1000)
        share = picture_share(page.screenshot(path=str(shot)), VIDEO_VIEW)
        if share > 0.25:
            break
    assert share > 0.25, f"the video view shows no picture ({share:.2f}); see {shot}"
    assert viewer.bad_lines() == [], "\n".join(viewer.bad_lines())
    page.close()
