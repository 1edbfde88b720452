"""What an analysis reports (the front end's ``AnalysisSummary``, src/analysis/summary.ts), with
Python's snake_case keys: ``framesWithFaces`` → ``frames_with_faces``.

The camelCase keys still read, with a DeprecationWarning, for one release.

>>> s = Summary.of({"frames": 75, "framesWithFaces": 70, "stageMs": {"detector": 7.5}})
>>> s["frames_with_faces"], s["stage_ms"]["detector"]
(70, 7.5)
>>> sorted(s)
['frames', 'frames_with_faces', 'stage_ms']
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

_UPPER = re.compile(r"(?<=[a-z0-9])([A-Z])")


def snake_case(name: str) -> str:
    """``framesWithFaces`` → ``frames_with_faces`` (snake_case names are left as they are)."""
    return _UPPER.sub(r"_\1", name).lower()


class Summary(dict):
    """A dict with snake_case keys; nested dicts (``stage_ms``, ``density``, ``transfer``) are
    Summaries too. Reading a camelCase key warns and returns the snake_case key's value."""

    @classmethod
    def of(cls, mapping: Mapping[str, Any] | None) -> Summary:
        """The summary ``mapping`` (camelCase from the front end, or snake_case already) as a Summary."""
        return cls(
            (snake_case(key), cls.of(value) if isinstance(value, Mapping) else value)
            for key, value in (mapping or {}).items()
        )

    def _renamed(self, key: Any) -> Any:
        if isinstance(key, str) and not dict.__contains__(self, key) and dict.__contains__(self, snake_case(key)):
            warnings.warn(
                f"summary[{key!r}] is deprecated; use summary[{snake_case(key)!r}]", DeprecationWarning, stacklevel=3
            )
            return snake_case(key)
        return key

    def __getitem__(self, key: Any) -> Any:
        return dict.__getitem__(self, self._renamed(key))

    def get(self, key: Any, default: Any = None) -> Any:
        return dict.get(self, self._renamed(key), default)

    def __contains__(self, key: Any) -> bool:
        return dict.__contains__(self, self._renamed(key))

    def __setitem__(self, key: Any, value: Any) -> None:
        dict.__setitem__(self, snake_case(key) if isinstance(key, str) else key, value)
