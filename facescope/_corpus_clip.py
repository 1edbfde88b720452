"""One clip of a batch, where a worker runs it: analyse it in the worker's warm session and write
its outputs under the batch's folder, so that a crash never leaves a file that looks finished.

Layout under ``out``: ``clips/<name>/`` (``Results.save``'s files), ``blendshapes/<key>.parquet``,
``head_pose/<key>.parquet`` and ``detections/<key>.parquet`` (each with a ``clip`` column). Every
file is written under a temporary name and renamed; the clip's folder is renamed into place last,
so "its ``summary.json`` is there without an error" is what done means (``is_done``). A clip's run
first takes away what an earlier run left of it, so the tables hold no rows of a clip not done.

The function a worker runs is ``run_clip``: plain arguments in, a manifest row (a dict) out, so it
pickles for a process pool and for Dask alike.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from ._export import write_parquet_atomic
from ._private import private_dir

TABLES = ("blendshapes", "head_pose", "detections")
CLIPS = "clips"
SUMMARY = "summary.json"


def clip_dir(out: Path, name: str) -> Path:
    return out / CLIPS / name


def table_file(out: Path, table: str, key: str) -> Path:
    return out / table / f"{key}.parquet"


def is_done(out: Path, name: str) -> bool:
    """Whether ``name``'s outputs are complete: its folder and tables were renamed into place after
    an analysis that did not fail."""
    summary = clip_dir(out, name) / SUMMARY
    if not summary.is_file():
        return False
    try:
        return "error" not in json.loads(summary.read_text())
    except ValueError:
        return False


def done_row(out: Path, path: Path, name: str) -> dict[str, Any]:
    """The manifest row of a clip finished by an earlier run, from its summary."""
    summary = json.loads((clip_dir(out, name) / SUMMARY).read_text())
    return row(name, path, "done", "", summary, summary.get("wall_ms", 0) / 1000)


def row(name: str, path: Path, status: str, error: str, summary: dict[str, Any], seconds: float) -> dict[str, Any]:
    """One manifest row: the columns of ``corpus.MANIFEST_COLUMNS``."""
    return {
        "clip": name,
        "path": str(path),
        "status": status,
        "error": error,
        "frames": int(summary.get("frames", 0) or 0),
        "frames_with_faces": int(summary.get("frames_with_faces", 0) or 0),
        "faces": int(summary.get("max_faces", 0) or 0),
        "fps": float(summary.get("fps", 0.0) or 0.0),
        "seconds": round(float(seconds), 3),
        "converted_from": summary.get("converted_from") or "",
    }


def run_clip(path: str, name: str, key: str, out: str, options: dict[str, Any]) -> dict[str, Any]:
    """Analyses one clip in this process's warm session and writes its outputs; returns its manifest
    row. A clip that fails is a row with status ``failed`` and the error's words, never an exception
    (what was analysed before a failure is kept in its ``clips/<name>/`` folder)."""
    from ._errors import AnalysisError
    from ._session import shared_session

    t0 = time.perf_counter()
    out_dir = Path(out)
    _forget(out_dir, name, key)
    try:
        result = shared_session().analyze(path, **options)
    except AnalysisError as error:
        summary: dict[str, Any] = {}
        if error.partial is not None:
            _write_clip_folder(error.partial, out_dir, name)
            summary = dict(error.partial.summary)
        return row(name, Path(path), "failed", str(error), summary, time.perf_counter() - t0)
    except Exception as error:  # noqa: BLE001 (one clip's surprise must not end the batch)
        return row(name, Path(path), "failed", f"{type(error).__name__}: {error}", {}, time.perf_counter() - t0)
    for table in TABLES:
        frame = getattr(result, table).reset_index()
        frame.insert(0, "clip", name)
        write_parquet_atomic(frame, table_file(out_dir, table, key), index=False)
    _write_clip_folder(result, out_dir, name)
    return row(name, Path(path), "done", "", dict(result.summary), time.perf_counter() - t0)


def _forget(out: Path, name: str, key: str) -> None:
    """Takes away what an earlier run left of the clip (a ``--force`` rerun's, or a worker's killed
    between its tables and its folder), summary first: from then on the clip is not done, and
    should this run fail, no rows of the earlier one stay in the batch's tables."""
    (clip_dir(out, name) / SUMMARY).unlink(missing_ok=True)
    for table in TABLES:
        table_file(out, table, key).unlink(missing_ok=True)


def _write_clip_folder(result, out: Path, name: str) -> None:
    dest = clip_dir(out, name)
    private_dir(dest.parent)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    result.save(tmp)
    # A folder cannot replace a non-empty one in one step: the old one (a failed or forced run's)
    # goes first; between the two steps the clip merely looks not done.
    if dest.exists():
        shutil.rmtree(dest)
    os.replace(tmp, dest)
