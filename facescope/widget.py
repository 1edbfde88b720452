"""The FaceScope widget: the Python face of the front end in ``src/widget/``."""
from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

_STATIC = Path(__file__).parent / "static"


class FaceScope(anywidget.AnyWidget):
    """An inline Rerun viewer with a drop zone for clips, rendered by the browser.

    Everything heavy (decoding, MediaPipe, writing the Rerun recording) runs in the browser
    tab that shows the notebook; the kernel only holds the widget's small state.

    >>> scope = FaceScope(height=480)
    >>> scope.height
    480
    >>> scope.state   # set by the front end: "loading", then "ready" (or "error")
    'loading'
    """

    _esm = _STATIC / "widget.js"

    height = traitlets.Int(640, help="Height of the viewer in CSS pixels (min 200).").tag(sync=True)
    state = traitlets.Unicode("loading", read_only=True, help="Front-end state: loading, ready or error.").tag(sync=True)
    status = traitlets.Unicode("", read_only=True, help="The status line the widget shows.").tag(sync=True)

    def __init__(self, *, height: int = 640, **kwargs) -> None:
        super().__init__(height=height, **kwargs)

    @traitlets.validate("height")
    def _check_height(self, proposal: traitlets.Bunch) -> int:
        value = int(proposal["value"])
        if value < 200:
            raise traitlets.TraitError(f"height must be at least 200 pixels, got {value}")
        return value
