"""Other frame sources and hostile inputs, in real Chromium with real MediaPipe."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

from tests.browser import MEDIA, artifact


def test_webm_goes_through_the_webm_path_every_frame_no_face(analysis_page):
    out = analysis_page.run("media/c_noface_tos_belltower_vp8.webm")
    assert out["ok"], out.get("error")
    assert out["source"]["kind"] == "webm" and out["source"]["codec"] == "vp8"
    frames = out["frames"]
    assert len(frames) == 48
    ts = [f["timestampUs"] for f in frames]
    assert ts == sorted(ts) and len(set(ts)) == 48
    # 24 fps with millisecond WebM timestamps: every gap is 41 or 42 ms, so no frame was skipped.
    assert {b - a for a, b in pairwise(ts)} <= {41_000, 42_000}
    assert all(len(f["faces"]) == 0 for f in frames)
    assert (frames[0]["width"], frames[0]["height"]) == (960, 400)


def test_multiface_clip_keeps_two_or_more_faces_with_stable_ids(analysis_page):
    out = analysis_page.run("media/b_multiface_crop_mpf_video_01_1280x720.mp4", options={"numFaces": 3})
    assert out["ok"], out.get("error")
    frames = out["frames"]
    assert len(frames) == 91
    counts = [len(f["faces"]) for f in frames]
    assert sum(c >= 2 for c in counts) >= 0.9 * len(frames), counts
    assert max(counts) <= 3
    # Stable ids: a handful of tracks for the whole clip, and the ids seen in consecutive frames with
    # the same face count do not change (no churn while faces stay in view).
    all_ids = {face["id"] for f in frames for face in f["faces"]}
    assert len(all_ids) <= 5, all_ids
    churn = sum(
        1
        for a, b in pairwise(frames)
        if len(a["faces"]) == len(b["faces"]) and {x["id"] for x in a["faces"]} != {x["id"] for x in b["faces"]}
    )
    assert churn == 0, churn
    artifact("analysis_multiface_timings.json").write_text(
        json.dumps(
            {
                "fps": out["summary"]["fps"],
                **{k: statistics.median(f["timings"][k] for f in frames) for k in frames[0]["timings"]},
            },
            indent=1,
        )
    )


@pytest.mark.parametrize(
    "still,faces", [("stills/skimage_astronaut.png", 1), ("stills/twofaces_composite_frame.jpg", 2)]
)
def test_stills_are_one_frame_in_image_mode(analysis_page, still, faces):
    out = analysis_page.run("media/" + still, options={"numFaces": 3})
    assert out["ok"], out.get("error")
    assert out["source"]["kind"] == "image" and len(out["frames"]) == 1
    assert len(out["frames"][0]["faces"]) == faces


def test_max_dim_and_max_frame(analysis_page):
    out = analysis_page.run(
        "media/b_multiface_crop_mpf_video_01_1280x720.mp4", maxDim=640, maxFrame=5, options={"numFaces": 3}
    )
    assert out["ok"], out.get("error")
    assert len(out["frames"]) == 5
    # The clip has non-square pixels (pasp 171:170), so it displays as 1288×720 → 640×358.
    assert {(f["width"], f["height"]) for f in out["frames"]} == {(640, 358)}
    assert (out["source"]["width"], out["source"]["height"]) == (640, 358)
    assert all(len(f["faces"]) >= 2 for f in out["frames"])


def test_rotation_metadata_is_honoured(analysis_page):
    # Pixels stored turned 90° clockwise plus a tkhd matrix that turns them back, as phones record
    # portrait video. Honouring it gives the upright 360×288 picture (roll ≈ 0); ignoring it would
    # give 288×360 with the face lying on its side (roll ≈ −90°).
    extra = Path(analysis_page.serve_root) / "extra"
    sideways, tagged = extra / "sideways.mp4", extra / "rotated.mp4"
    # ffmpeg is a set-up requirement (make setup installs Debian's): a missing one fails here.
    assert shutil.which("ffmpeg"), "ffmpeg is missing: run make setup"
    run = lambda *a: subprocess.run(["ffmpeg", "-v", "error", "-y", *a], check=True)  # noqa: E731
    run(
        "-i",
        str(MEDIA / "a_talking_grid_s1_bbaf2n.mp4"),
        "-map",
        "0:v",
        "-frames:v",
        "10",
        "-vf",
        "transpose=1",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        str(sideways),
    )
    run("-i", str(sideways), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(tagged))  # ffmpeg 5: tag → tkhd
    out = analysis_page.run("extra/rotated.mp4")
    assert out["ok"], out.get("error")
    assert out["source"]["rotation"] == 270  # matrix (0, −1, 1, 0): a quarter turn counter-clockwise
    assert {(f["width"], f["height"]) for f in out["frames"]} == {(360, 288)}
    assert len(out["frames"]) == 10 and all(len(f["faces"]) == 1 for f in out["frames"])
    rolls = [f["faces"][0]["headPose"][2] for f in out["frames"]]
    assert all(abs(r) < 20 for r in rolls), rolls
    # Control: the same pixels without the matrix really are sideways, so the check above can fail.
    plain = analysis_page.run("extra/sideways.mp4", maxFrame=3)
    assert all(abs(abs(f["faces"][0]["headPose"][2]) - 90) < 25 for f in plain["frames"])


BAD = {
    "empty.mp4": ("empty", r"empty"),
    "not_a_video.mp4": ("not-a-video", r"not a video"),
    "truncated.mp4": ("truncated", r"truncated"),
    "hevc_talking.mp4": ("unsupported-codec", r"HEVC.*hvc1.*ffmpeg -i .*libx264"),
}


def test_every_bad_file_has_an_expectation():
    assert sorted(p.name for p in (MEDIA / "bad").iterdir()) == sorted(BAD)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_inputs_give_specific_errors_and_the_page_stays_usable(analysis_page, name):
    import re

    code, pattern = BAD[name]
    out = analysis_page.run("media/bad/" + name)
    assert not out["ok"]
    assert out["error"]["name"] == "VideoError" and out["error"]["code"] == code, out["error"]
    assert re.search(pattern, out["error"]["message"], re.S), out["error"]["message"]
    # Same page, next clip: still works.
    again = analysis_page.run("media/a_talking_grid_s1_bbaf2n.mp4", maxFrame=3)
    assert again["ok"] and len(again["frames"]) == 3


def test_gpu_delegate_gives_the_cpu_results(analysis_page, measure):
    # Without a GPU, Chromium's WebGL is SwiftShader (software): slow, but the option must work and
    # give the same faces, since a user with a GPU gets exactly this code path.
    clip = "media/a_talking_grid_s1_bbaf2n.mp4"
    gpu = analysis_page.run(clip, maxFrame=20, withBlendshapes=True, withLandmarks=True, options={"delegate": "GPU"})
    cpu = analysis_page.run(clip, maxFrame=20, withBlendshapes=True, withLandmarks=True)
    assert gpu["ok"] and cpu["ok"], (gpu.get("error"), cpu.get("error"))
    assert len(gpu["frames"]) == len(cpu["frames"]) == 20
    assert all(len(g["faces"]) == 1 == len(c["faces"]) for g, c in zip(gpu["frames"], cpu["frames"], strict=True))
    bs = [
        abs(a - b)
        for g, c in zip(gpu["frames"], cpu["frames"], strict=True)
        for a, b in zip(g["faces"][0]["blendshapes"], c["faces"][0]["blendshapes"], strict=True)
    ]
    width, height = cpu["frames"][0]["width"], cpu["frames"][0]["height"]
    px = [
        ((g["faces"][0]["landmarks"][i] - c["faces"][0]["landmarks"][i]) * width) ** 2
        + ((g["faces"][0]["landmarks"][i + 1] - c["faces"][0]["landmarks"][i + 1]) * height) ** 2
        for g, c in zip(gpu["frames"], cpu["frames"], strict=True)
        for i in range(0, 478 * 3, 3)
    ]
    assert statistics.median(bs) <= 0.02 and statistics.quantiles(bs, n=20)[-1] <= 0.05
    assert statistics.median(px) ** 0.5 <= 1.0
    measure(
        f"GPU delegate (SwiftShader) {gpu['summary']['fps']:.1f} fps vs CPU {cpu['summary']['fps']:.1f} fps; "
        f"blendshapes median |Δ| {statistics.median(bs):.4f}, landmarks median {statistics.median(px) ** 0.5:.2f} px"
    )


@pytest.mark.parametrize("codec, args", [("avc1", ["-c:v", "copy"]), ("vp09", ["-c:v", "libvpx-vp9", "-b:v", "1M"])])
def test_matroska_goes_through_the_webm_path_every_frame(analysis_page, codec, args):
    # Matroska is WebM's parent format; .mkv files from screen recorders carry H.264 or VP9.
    extra = Path(analysis_page.serve_root) / "extra"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(MEDIA / "a_talking_grid_s1_bbaf2n.mp4"),
            "-map",
            "0:v",
            "-frames:v",
            "20",
            *args,
            str(extra / f"{codec}.mkv"),
        ],
        check=True,
    )
    out = analysis_page.run(f"extra/{codec}.mkv")
    assert out["ok"], out.get("error")
    assert out["source"]["kind"] == "webm" and out["source"]["codec"].startswith(codec), out["source"]
    assert len(out["frames"]) == 20 and all(len(f["faces"]) == 1 for f in out["frames"])
    ts = [f["timestampUs"] for f in out["frames"]]
    assert ts == sorted(ts) and ts[0] == 0 and all(abs((b - a) - 40_000) <= 1000 for a, b in pairwise(ts))


def test_ogg_video_is_named_with_how_to_convert_it(analysis_page):
    extra = Path(analysis_page.serve_root) / "extra"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(MEDIA / "a_talking_grid_s1_bbaf2n.mp4"),
            "-map",
            "0:v",
            "-frames:v",
            "5",
            "-c:v",
            "libtheora",
            str(extra / "clip.ogv"),
        ],
        check=True,
    )
    out = analysis_page.run("extra/clip.ogv")
    assert not out["ok"] and out["error"]["code"] == "unsupported-codec", out["error"]
    assert "Ogg" in out["error"]["message"] and "ffmpeg -i" in out["error"]["message"]
