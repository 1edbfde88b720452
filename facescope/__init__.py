"""facescope: facial-expression analysis of video, in the browser, inside the notebook.

>>> from facescope import FaceScope
>>> scope = FaceScope()   # shows a drop zone, a status line and an inline Rerun viewer
>>> scope                 # doctest: +SKIP
"""
from __future__ import annotations

from ._version import __version__
from .widget import FaceScope

__all__ = ["FaceScope", "__version__"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where `jupyter labextension develop` finds the prebuilt labextension."""
    return [{"src": "labextension", "dest": "facescope"}]
