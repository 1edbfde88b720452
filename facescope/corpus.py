"""Many clips at once: a folder of interviews analysed in parallel, resumable, into one table.

>>> import facescope
>>> if __name__ == "__main__":              # needed in a script: the workers are spawned processes
...     corpus = facescope.analyze_many("interviews/", out="results", workers=2)   # doctest: +SKIP
...     corpus.blendshapes.loc["day1/a.flv"]                                        # doctest: +SKIP

The same from a shell: ``python -m facescope batch interviews/ --out results --workers 2``.

Under ``out``: ``blendshapes/``, ``head_pose/`` and ``detections/`` (Parquet datasets, one file per
clip, a ``clip`` column: ``pd.read_parquet(out / "blendshapes")``, pyarrow.dataset and DuckDB read
each as one table), ``clips/<name>/`` (each clip's ``Results.save`` files, ``recording.rrd``
included) and ``manifest.parquet`` (one row per input: status, error, frames, faces, fps, seconds,
converted_from).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import options as _options
from ._corpus_clip import done_row, is_done, row
from ._corpus_inputs import find_clips
from ._export import write_parquet_atomic
from ._private import private_dir

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Corpus", "analyze_many"]

MANIFEST = "manifest.parquet"
MANIFEST_COLUMNS = (
    "clip",
    "path",
    "status",
    "error",
    "frames",
    "frames_with_faces",
    "faces",
    "fps",
    "seconds",
    "converted_from",
)
_INDEX = {"blendshapes": "face_id", "head_pose": "face_id", "detections": "detection"}


class Corpus:
    """A batch's outputs, read from its folder (``Corpus("results")`` reopens one).

    ``manifest``: one row per input (``status`` done / failed / pending); ``failed``: its failed rows;
    ``blendshapes`` and ``head_pose`` indexed by (clip, frame_idx, face_id); ``detections`` by
    (clip, frame_idx, detection).
    """

    def __init__(self, out: str | os.PathLike) -> None:
        self.out = Path(out)

    def __repr__(self) -> str:
        return f"Corpus({str(self.out)!r})"

    @property
    def manifest(self) -> pd.DataFrame:
        """One row per input: clip, path, status, error, frames, frames_with_faces, faces, fps, seconds, converted_from."""
        import pandas as pd

        return pd.read_parquet(self.out / MANIFEST)

    @property
    def failed(self) -> pd.DataFrame:
        """The manifest's failed rows (their ``error`` says why)."""
        manifest = self.manifest
        return manifest[manifest["status"] == "failed"]

    @property
    def blendshapes(self) -> pd.DataFrame:
        """Every finished clip's blendshape scores, index (clip, frame_idx, face_id)."""
        return self._table("blendshapes")

    @property
    def head_pose(self) -> pd.DataFrame:
        """Every finished clip's yaw, pitch and roll, index (clip, frame_idx, face_id)."""
        return self._table("head_pose")

    @property
    def detections(self) -> pd.DataFrame:
        """Every finished clip's detector boxes, index (clip, frame_idx, detection)."""
        return self._table("detections")

    def _table(self, name: str) -> pd.DataFrame:
        import pandas as pd

        index = ["clip", "frame_idx", _INDEX[name]]
        folder = self.out / name
        manifest = self.manifest
        # Only what the manifest calls done: a worker killed between writing a clip's tables and
        # its folder leaves rows of a clip that is pending (the next run redoes it).
        done = list(manifest.loc[manifest["status"] == "done", "clip"])
        if not done or not folder.is_dir() or not any(folder.glob("*.parquet")):
            return pd.DataFrame(index=pd.MultiIndex.from_arrays([[], [], []], names=index))
        return pd.read_parquet(folder, filters=[("clip", "in", done)]).set_index(index).sort_index()


def analyze_many(
    inputs: str | os.PathLike | Iterable[str | os.PathLike],
    out: str | os.PathLike,
    *,
    workers: int = 1,
    client: Any = None,
    force: bool = False,
    progress: bool = True,
    **options: Any,
) -> Corpus:
    """Analyses every clip of ``inputs`` (files, folders searched recursively, globs) into ``out``
    and returns the ``Corpus``. Any format FFmpeg reads (FLV, AVI, ProRes … are converted first).

    ``workers``: processes on this machine, each with one headless Chromium reused clip after clip.
    ``client``: a ``dask.distributed.Client`` (or a scheduler address) to run the clips as tasks on
    its workers instead, one Chromium per Dask worker; ``out`` must then be a path they all write
    to. A clip whose outputs are complete is skipped (``force=True`` redoes it); a clip that fails is
    a ``failed`` row of the manifest and the batch goes on. ``options``: ``facescope.analyze``'s
    (``num_faces``, ``max_dim``, ``model`` …). Ctrl-C stops the workers, writes the manifest (clips
    not run are ``pending``) and raises KeyboardInterrupt.

    The local workers are spawned processes, which import the calling script again: in a script,
    call this under ``if __name__ == "__main__":``.

    >>> corpus = facescope.analyze_many(["crema-d/*.flv"], out="crema", workers=2)  # doctest: +SKIP
    >>> corpus.failed[["clip", "error"]]                                           # doctest: +SKIP
    >>> corpus.blendshapes.groupby("clip")["jawOpen"].max()                        # doctest: +SKIP
    """
    from ._corpus_run import DaskRunner, LocalPool

    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    model = options.pop("model", None)
    _options.to_front_end(_options.renamed(options))  # a bad option fails here, before any worker starts
    if model is not None:
        options["model"] = model
    out = private_dir(out)
    clips = find_clips(inputs)
    rows: dict[str, dict[str, Any]] = {c.name: row(c.name, c.path, "pending", "", {}, 0.0) for c in clips}
    jobs = []
    for clip in clips:
        if not force and is_done(out, clip.name):
            rows[clip.name] = done_row(out, clip.path, clip.name)
        else:
            jobs.append((str(clip.path), clip.name, clip.key, str(out), options))
    bar = _Bar(len(clips), len(clips) - len(jobs), enabled=progress)
    # Written once before any clip runs: the manifest exists from the start, and pandas, pyarrow and
    # numpy are imported now. A Ctrl-C landing inside numpy's first import would leave it half
    # initialised, and the manifest written on the way out would then fail.
    _write_manifest(out, rows)
    runner = DaskRunner(client) if client is not None else LocalPool(min(workers, max(len(jobs), 1)))
    written = time.monotonic()
    try:
        for result in runner.run(jobs):
            rows[result["clip"]] = result
            bar.add(result)
            if time.monotonic() - written > 2:  # a crash keeps all but the last seconds' rows
                _write_manifest(out, rows)
                written = time.monotonic()
    except KeyboardInterrupt:
        runner.stop()
        _write_manifest(out, rows)
        bar.close()
        raise
    runner.close()
    _write_manifest(out, rows)
    bar.close()
    return Corpus(out)


def _write_manifest(out: Path, rows: dict[str, dict[str, Any]]) -> None:
    import pandas as pd

    table = pd.DataFrame(sorted(rows.values(), key=lambda r: r["clip"]), columns=list(MANIFEST_COLUMNS))
    write_parquet_atomic(table, out / MANIFEST, index=False)


class _Bar:
    """tqdm's bar: clips done / failed / skipped, frames per second, and its ETA."""

    def __init__(self, total: int, skipped: int, *, enabled: bool) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, initial=skipped, unit="clip", disable=not enabled, file=sys.stderr)
        self.counts = {"done": 0, "failed": 0, "skipped": skipped}
        self.frames, self.t0 = 0, time.monotonic()
        self.bar.set_postfix(self.counts)

    def add(self, result: dict[str, Any]) -> None:
        self.counts[result["status"]] = self.counts.get(result["status"], 0) + 1
        self.frames += result["frames"]
        fps = self.frames / max(time.monotonic() - self.t0, 1e-3)
        self.bar.set_postfix({**self.counts, "frames/s": f"{fps:.1f}"})
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()
