"""The one writer of facescope's files: ``Results.save``, ``Results.to_parquet``, ``Results.to_csv``
and ``python -m facescope analyze --out DIR`` all call ``write``, a batch's tables and manifest
``write_parquet_atomic``, so a table has one shape on disk whichever way it was written, and every
format is one other tools read (Parquet, CSV, ``.npy``, JSON, Rerun's RRD).

Tables are written as ``Results`` holds them: ``pd.read_parquet`` gives back exactly
``res.blendshapes`` (index and dtypes included). The index columns come first in the file, so a
reader without pandas' metadata (polars, DuckDB, R) sees flat columns ``frame_idx, face_id, time, …``.
The arrays (landmarks, transforms) stay ``.npy`` in every export: as a table they would be 478 rows
per face and frame. The README's "Files" table lists the same names (tests/test_export.py checks).

>>> from facescope._export import files
>>> files("csv")
('frames.csv', 'blendshapes.csv', 'head_pose.csv', 'detections.csv', 'landmarks.npy', 'transforms.npy')
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from ._load import RECORDING, SUMMARY, read_folder
from ._private import open_private, private_dir

if TYPE_CHECKING:
    import pandas as pd

    from .results import Results

Export = Literal["save", "parquet", "csv"]

# File stem → the Results attribute it holds. Tables first, in the order a reader meets them.
TABLES: dict[str, str] = {
    "frames": "frame_info",
    "blendshapes": "blendshapes",
    "head_pose": "head_pose",
    "detections": "detections",
}
ARRAYS: dict[str, str] = {"landmarks": "landmarks", "transforms": "transforms"}


def files(export: Export) -> tuple[str, ...]:
    """The names ``write(…, export)`` creates (``recording.rrd`` only when there is a recording)."""
    suffix = ".csv" if export == "csv" else ".parquet"
    names = tuple(stem + suffix for stem in TABLES) + tuple(stem + ".npy" for stem in ARRAYS)
    return names + ((SUMMARY, RECORDING) if export == "save" else ())


def write(results: Results, out_dir: str | Path, export: Export) -> Path:
    """Writes ``files(export)`` for ``results`` into ``out_dir`` (created if needed); returns it.

    ``save``: the tables as Parquet, the arrays, summary.json and recording.rrd — everything
    ``Results.load`` needs. ``parquet``: the tables as Parquet and the arrays. ``csv``: the tables
    as CSV and the arrays.
    """
    out = private_dir(out_dir)
    for stem, attribute in TABLES.items():
        table = getattr(results, attribute)
        if export == "csv":
            _write_csv(table, out / f"{stem}.csv")
        else:
            _write_parquet(table, out / f"{stem}.parquet")
    for stem, attribute in ARRAYS.items():
        _write_npy(getattr(results, attribute), out / f"{stem}.npy")
    if export == "save":
        _write_summary(results.summary, out / SUMMARY)
        if results.recording:  # an empty .rrd would be a file Rerun refuses
            with _create(out / RECORDING) as f:
                f.write(results.recording)
    return out


def write_summary(results: Results, out_dir: str | Path) -> None:
    """Writes summary.json again (``save`` wrote it): the headless run adds its last phase mark."""
    _write_summary(results.summary, Path(out_dir) / SUMMARY)


class FileMethods:
    """The file methods of ``Results`` (its base class): each is one call of ``write``.

    >>> res.save("results/")                                     # doctest: +SKIP
    >>> Results.load("results/").blendshapes                     # doctest: +SKIP
    """

    recording: bytes
    summary: dict

    def save_rrd(self, path: str | Path) -> Path:
        """Writes the Rerun recording to ``path`` (open it with ``rerun path``) and returns the path.

        >>> res.save_rrd("interview.rrd")                            # doctest: +SKIP
        """
        if not self.recording:
            raise ValueError("these results carry no Rerun recording (they were built without one), nothing to save")
        path = Path(path)
        with _create(path) as f:
            f.write(self.recording)
        return path

    def to_parquet(self, out_dir: str | Path) -> Path:
        """Writes the tables as Parquet (frames, blendshapes, head_pose, detections) and the arrays
        as ``.npy`` (landmarks, transforms) into ``out_dir`` (created if needed) and returns it.
        ``pd.read_parquet`` gives each table back exactly, index included (README, "Files").

        >>> out = res.to_parquet("tables/")                          # doctest: +SKIP
        >>> pd.read_parquet(out / "head_pose.parquet")               # doctest: +SKIP
        """
        return write(self, out_dir, "parquet")

    def to_csv(self, out_dir: str | Path) -> Path:
        """Writes the tables as CSV (frames, blendshapes, head_pose, detections; the index columns
        first) and the arrays as ``.npy`` into ``out_dir`` (created if needed) and returns it.

        >>> out = res.to_csv("tables/")                              # doctest: +SKIP
        >>> pd.read_csv(out / "blendshapes.csv", index_col=["frame_idx", "face_id"])  # doctest: +SKIP
        """
        return write(self, out_dir, "csv")

    def save(self, out_dir: str | Path) -> Path:
        """Writes everything into ``out_dir`` (created if needed) and returns it: ``to_parquet``'s
        files, summary.json and recording.rrd (``OUTPUT_FILES``), what ``Results.load`` reads back
        and ``python -m facescope analyze --out`` writes.

        >>> res.save("results/")                                     # doctest: +SKIP
        """
        return write(self, out_dir, "save")

    @classmethod
    def load(cls, out_dir: str | Path) -> Results:
        """The results ``save`` (or ``python -m facescope analyze --out DIR``) wrote into ``out_dir``:
        the same tables, arrays, summary and recording (a frame's faces in face-id order).

        >>> res = Results.load("results/")                           # doctest: +SKIP
        """
        return cls(*read_folder(out_dir))


@contextmanager
def _create(path: Path, text: bool = False) -> Iterator[IO]:
    """Every file facescope writes is opened here: one place decides how. Faces are biometric
    data: files are 0600 whatever the umask (``_private``)."""
    with open_private(path) as raw:
        if not text:
            yield raw
            return
        with io.TextIOWrapper(raw, encoding="utf-8", newline="") as f:
            yield f


def write_parquet_atomic(table: pd.DataFrame, path: str | Path, *, index: bool = True) -> Path:
    """Writes ``table`` to ``path`` as ``write`` does (``index=False``: its columns only), under a
    temporary name first, then renamed: a reader, or a batch deciding what is finished, never
    sees a half-written file. The batch's tables and manifest are written here. Returns ``path``."""
    path = Path(path)
    private_dir(path.parent)  # faces are biometric data: 0700 folders, as ``write`` makes
    # A dot name: pyarrow.dataset and DuckDB skip hidden files, so a half-written one is never read.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _write_parquet(table, tmp, index=index)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _write_parquet(table: pd.DataFrame, path: Path, *, index: bool = True) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table, preserve_index=index)
    if not index:
        with _create(path) as f:
            pq.write_table(arrow, f)
        return
    # pyarrow appends the index columns; put them first for readers that ignore pandas' metadata
    # (which names the index columns, so pandas still restores the index from either order).
    names = [n for n in table.index.names if n is not None]
    arrow = arrow.select(names + [n for n in arrow.column_names if n not in names])
    with _create(path) as f:
        pq.write_table(arrow, f)


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    # The index is written as the first columns under their names: one header line, read back with
    # pd.read_csv(path, index_col=[...]).
    with _create(path, text=True) as f:
        table.to_csv(f, lineterminator="\n")


def _write_npy(array, path: Path) -> None:
    import numpy as np

    with _create(path) as f:
        np.save(f, array)


def _write_summary(summary: dict, path: Path) -> None:
    # One key a line, values compact: facesPerFrame stays one line instead of one per frame.
    lines = [f" {json.dumps(k)}: {json.dumps(v)}" for k, v in summary.items()]
    with _create(path, text=True) as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")
