"""The error the widget and the headless analyser both raise, in a module both can import.

>>> from facescope import AnalysisError
>>> try:
...     raise AnalysisError("truncated", "clip.mp4: the file ends early")
... except AnalysisError as error:
...     error.code, error.partial
('truncated', None)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .results import Results


class AnalysisError(RuntimeError):
    """The clip could not be analysed (or only partly). ``code`` is for programs: the front end's
    video error codes (``empty``, ``not-a-video``, ``truncated``, ``unsupported-codec``,
    ``decode-failed`` …), the camera's (``permission-denied``, ``no-camera`` …) or
    ``missing-file``, ``too-large``, ``model``, ``environment``, ``transfer``. ``partial``: the
    results analysed before the failure, if any."""

    def __init__(self, code: str, message: str, partial: Results | None = None):
        super().__init__(message)
        self.code, self.partial = code, partial
