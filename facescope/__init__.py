"""facescope: facial-expression analysis of video, in the browser, inside the notebook.

>>> from facescope import FaceScope
>>> scope = FaceScope()   # shows a drop zone, a status line and an inline Rerun viewer
>>> scope                 # doctest: +SKIP

Without a notebook view, the same front end in headless Chromium:

>>> import facescope
>>> res = facescope.analyze("clip.mp4")   # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import options as _options
from ._errors import AnalysisError
from ._version import __version__

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .corpus import Corpus
    from .headless import ProgressCallback
    from .results import Results
    from .widget import FaceScope

__all__ = ["AnalysisError", "FaceScope", "Results", "analyze", "analyze_many", "load", "__version__"]


def analyze(
    path: str | Path,
    *,
    model: str | Path | bytes | None = None,
    progress: ProgressCallback | None = None,
    timeout: float = 1800.0,
    **options: Any,
) -> Results:
    """Analyses the video (or still image) at ``path`` in headless Chromium and returns its ``Results``.

    ``options`` are the widget's (``facescope.options.OPTIONS``): ``num_faces``, ``max_dim``,
    ``max_frames``, ``min_detection_confidence``, ``min_presence_confidence``,
    ``min_tracking_confidence``, ``delegate``, ``detector``, ``viewer_memory_mb``; a value out of
    range raises ValueError before anything starts. ``model``: path or bytes of face_landmarker.task (default:
    ``FACESCOPE_MODEL``, else the copy shipped in the package). ``progress`` is called with
    ``{"phase": ...}`` and ``{"done", "total", "fps"}`` dicts. Works inside a running event loop (a
    notebook cell). The first call starts a headless Chromium that later calls reuse (closed when
    Python exits), so a clip pays for its own analysis only; a clip the browser cannot read (FLV,
    AVI, ProRes …) is converted to MP4 first and ``summary["converted_from"]`` says from what. Needs Playwright (``pip install
    facescope[headless]``) and Chromium. Raises ``facescope.AnalysisError``.

    >>> from pathlib import Path
    >>> import pandas as pd
    >>> import facescope
    >>> tables = []
    >>> for clip in sorted(Path("interviews").glob("*.mp4")):      # doctest: +SKIP
    ...     res = facescope.analyze(clip, num_faces=2, max_dim=640)
    ...     res.save(Path("results") / clip.stem)                  # parquet, npy, json, recording.rrd
    ...     tables.append(res.blendshapes.assign(clip=clip.stem))
    >>> scores = pd.concat(tables)                                 # doctest: +SKIP
    """
    # Imported here: `import facescope` stays quick and needs neither pandas nor Playwright.
    from ._session import shared_session

    # One warm browser per process: the first call starts it, later calls reuse its page.
    return shared_session().analyze(path, model=model, progress=progress, timeout=timeout, **_options.renamed(options))


def analyze_many(
    inputs: str | Path | Iterable[str | Path],
    out: str | Path,
    *,
    workers: int = 1,
    client: Any = None,
    force: bool = False,
    progress: bool = True,
    **options: Any,
) -> Corpus:
    """Analyses every clip of ``inputs`` (files, folders searched recursively, globs) into ``out``, in
    ``workers`` processes (or on a Dask ``client``'s workers), each with one headless Chromium reused
    clip after clip; resumes where an earlier run stopped. See ``facescope.corpus.analyze_many``.

    In a script, call it under ``if __name__ == "__main__":`` (the workers are spawned processes,
    which import the script again).

    >>> corpus = facescope.analyze_many("interviews/", out="results", workers=2)   # doctest: +SKIP
    >>> corpus.manifest[["clip", "status", "frames"]]                            # doctest: +SKIP
    >>> corpus.blendshapes.groupby("clip")["jawOpen"].mean()                      # doctest: +SKIP
    """
    from .corpus import analyze_many as run

    return run(inputs, out, workers=workers, client=client, force=force, progress=progress, **options)


def load(out_dir: str | Path) -> Results:
    """The results that ``Results.save`` or ``python -m facescope analyze --out DIR`` wrote.

    >>> res = facescope.load("results/clip")     # doctest: +SKIP
    >>> FaceScope(res)                           # doctest: +SKIP   (its recording in the viewer)
    """
    from .results import Results

    return Results.load(out_dir)


def __getattr__(name: str) -> Any:
    # `facescope.Results` without importing numpy, and `facescope.FaceScope` without the widget
    # stack (anywidget, ipywidgets, traitlets: ~0.2 s), at `import facescope`: the CLI and
    # `facescope.analyze` need neither.
    if name == "Results":
        from .results import Results

        return Results
    if name == "FaceScope":
        from .widget import FaceScope

        return FaceScope
    raise AttributeError(f"module 'facescope' has no attribute {name!r}")


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where `jupyter labextension develop` finds the prebuilt labextension."""
    return [{"src": "labextension", "dest": "facescope"}]
