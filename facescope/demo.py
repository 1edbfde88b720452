"""Demo material for the quickstart, with no download.

``demo_clip()`` is a clip shipped inside the package: four speakers of the GRID corpus (CC BY 4.0,
attribution in ``facescope/media/NOTICE.md``), 12 s at 25 fps, whose faces blink, open the jaw and
pucker, so the blendshape curves move. ``demo_still()`` builds a clip from a still photo (the NASA
portrait in scikit-image, public domain) on this machine: a face that never changes expression.

>>> from facescope.demo import demo_clip
>>> path = demo_clip()          # facescope/media/grid_4speakers.mp4 in the installed package
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ._private import private_dir

DEMO_NAME = "astronaut_demo.mp4"
MEDIA_DIR = Path(__file__).resolve().parent / "media"
DEMO_CLIP = MEDIA_DIR / "grid_4speakers.mp4"


def demo_clip() -> Path:
    """Returns the path of the packaged demo clip (GRID corpus, four speakers, 300 frames, CC BY 4.0).

    >>> from facescope import FaceScope
    >>> from facescope.demo import demo_clip
    >>> scope = FaceScope(demo_clip())   # doctest: +SKIP
    """
    if not DEMO_CLIP.is_file():  # a checkout or wheel built without package data
        raise FileNotFoundError(f"the demo clip is missing from the package: {DEMO_CLIP}")
    return DEMO_CLIP


def cache_dir() -> Path:
    """Where ``demo_still()`` keeps the clip it builds: ``$FACESCOPE_CACHE``, else ``$XDG_CACHE_HOME/facescope``, else
    ``~/.cache/facescope``."""
    if os.environ.get("FACESCOPE_CACHE"):
        return Path(os.environ["FACESCOPE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "facescope"


def demo_still(path: str | os.PathLike | None = None, *, seconds: float = 4.0, fps: int = 25, size: int = 384) -> Path:
    """Returns the path of a clip panned over a still photo, building it first (needs the ``demo`` extra).

    The portrait never changes expression, so its blendshape curves are flat: a still's test case.

    >>> from facescope.demo import demo_still
    >>> path = demo_still()          # doctest: +SKIP  (built once, then cached)
    """
    target = Path(path) if path else cache_dir() / DEMO_NAME
    if target.exists():
        return target
    try:
        import av
        import numpy as np
        from skimage import data, transform
    except ImportError as error:
        raise RuntimeError("the demo clip needs the 'demo' extra: pip install 'facescope[demo]'") from error

    portrait = data.astronaut()  # 512×512 RGB, the face in the upper middle
    private_dir(target.parent)
    frames = int(seconds * fps)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".mp4", delete=False) as tmp:
        tmp_path = Path(tmp.name)
    try:
        with av.open(str(tmp_path), "w") as container:
            stream = container.add_stream("libx264", rate=fps)
            stream.width = stream.height = size
            stream.pix_fmt = "yuv420p"
            stream.options = {"crf": "20", "preset": "veryfast"}
            for i in range(frames):
                t = i / max(frames - 1, 1)
                # Zoom from the whole portrait towards the face while drifting sideways and back.
                crop = int(512 - 200 * t)
                cx = 250 + 30 * np.sin(2 * np.pi * t)
                cy = 180 + crop / 2 * (1 - t) * 0.4
                x0 = int(np.clip(cx - crop / 2, 0, 512 - crop))
                y0 = int(np.clip(cy - crop / 2, 0, 512 - crop))
                view = portrait[y0 : y0 + crop, x0 : x0 + crop]
                frame = (transform.resize(view, (size, size), anti_aliasing=True) * 255).astype(np.uint8)
                for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
    except BaseException:  # a failed or interrupted encode leaves no half clip in the cache
        tmp_path.unlink(missing_ok=True)
        raise
    os.replace(tmp_path, target)
    return target
