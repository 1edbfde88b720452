"""The headless analyser's files: recording.rrd, blendshapes.parquet, landmarks.npy, summary.json."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .headless import HeadlessResult

OUTPUT_FILES = ("recording.rrd", "blendshapes.parquet", "landmarks.npy", "summary.json")


def write_outputs(result: HeadlessResult, out_dir: Path) -> Path:
    """Writes the four files into ``out_dir`` (created if needed) and returns it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "recording.rrd").write_bytes(result.recording)
    result.blendshapes.to_parquet(out_dir / "blendshapes.parquet", index=False)
    np.save(out_dir / "landmarks.npy", result.landmarks)
    # One key a line, values compact: facesPerFrame stays one line instead of one per frame.
    lines = [f" {json.dumps(k)}: {json.dumps(v)}" for k, v in result.summary.items()]
    (out_dir / "summary.json").write_text("{\n" + ",\n".join(lines) + "\n}\n")
    return out_dir
