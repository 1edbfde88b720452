"""What a batch is made of: the inputs (files, folders searched recursively, globs) as clips, each
with the name it goes by in the outputs (its path relative to the inputs' common folder).

>>> from facescope._corpus_inputs import find_clips
>>> [c.name for c in find_clips(["interviews/"])]        # doctest: +SKIP
['day1/a.flv', 'day1/b.mp4', 'day2/c.avi']
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# What a folder is searched for: the video and image files FFmpeg or the page reads.
CLIP_SUFFIXES = frozenset(
    ".mp4 .m4v .mov .webm .mkv .flv .avi .wmv .asf .mpg .mpeg .ts .mts .m2ts .ogv .3gp .mxf .png .jpg .jpeg".split()
)


@dataclass(frozen=True)
class Clip:
    """An input file and its ``name``: the path relative to the inputs' common folder, with ``/``."""

    path: Path
    name: str

    @property
    def key(self) -> str:
        """The name as one file name (``day1/a.flv`` → ``day1__a.flv``): the clip's Parquet files."""
        return self.name.replace("/", "__")


def find_clips(inputs: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Clip]:
    """Every clip of ``inputs``, sorted by name, each file once. A folder gives its video and image
    files (recursively, by suffix); a glob (``*``, ``?``, ``[``; ``**`` recursive) its matches; a file
    itself, whatever its suffix. A path that does not exist raises FileNotFoundError."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    files: dict[Path, None] = {}
    for item in inputs:
        text = os.fspath(item)
        path = Path(text).expanduser()
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in CLIP_SUFFIXES)
        elif path.is_file():
            found = iter([path])
        elif glob.has_magic(text):
            found = (Path(p) for p in glob.glob(os.path.expanduser(text), recursive=True) if Path(p).is_file())
        else:
            raise FileNotFoundError(f"no such file, folder or match: {text}")
        files.update((p.resolve(), None) for p in found)
    if not files:
        return []
    root = Path(os.path.commonpath([p.parent for p in files]))
    return sorted((Clip(p, p.relative_to(root).as_posix()) for p in files), key=lambda c: c.name)
