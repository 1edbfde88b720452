"""The classic Notebook UI (nbclassic) as a facescope host: `jupyter nbclassic` serves it at
/nbclassic/notebooks/…; anywidget reaches it through two nbextensions, ipywidgets' widget manager
(`jupyter-js-widgets/extension`, from widgetsnbextension) and anywidget's own
(`anywidget/extension`). Both wheels install their files into the environment's
share/jupyter/nbextensions; the server's own config dir enables them, so nothing is installed by
hand and the result does not depend on what `jupyter nbextension enable` once did elsewhere."""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.e2e.jupyter_server import jupyter_server
from tests.e2e.notebook_page import frame_text

NBEXTENSIONS = {"jupyter-js-widgets/extension": "widgetsnbextension", "anywidget/extension": "anywidget"}


def enable_widget_nbextensions(config_dir: Path) -> None:
    """Writes the classic notebook's frontend config that loads both nbextensions."""
    shipped = Path(sys.prefix) / "share" / "jupyter" / "nbextensions"
    missing = [
        f"{name}.js (from {package})"
        for name, package in NBEXTENSIONS.items()
        if not (shipped / f"{name}.js").is_file()
    ]
    if missing:
        raise RuntimeError(f"nbextensions not installed in {shipped}: {missing}; reinstall the test extra")
    (config_dir / "nbconfig").mkdir(parents=True, exist_ok=True)
    # voila 0.5.13's wheel enables a `voila/extension` nbextension it does not ship (a 404 and two
    # console errors on every classic page, facescope or not): switched off here.
    (config_dir / "nbconfig" / "notebook.json").write_text(
        json.dumps({"load_extensions": {**{name: True for name in NBEXTENSIONS}, "voila/extension": False}})
    )


@contextlib.contextmanager
def classic_server(notebooks: list[Path]) -> Iterator[str]:
    # In a venv Jupyter ranks the environment's config above the user's; the server's own config
    # dir must win here, or the env's `voila/extension: true` stays.
    with jupyter_server(
        "nbclassic", notebooks, configure=enable_widget_nbextensions, extra_env={"JUPYTER_PREFER_ENV_PATH": "0"}
    ) as base:
        yield base


def open_classic_notebook(page, base: str, name: str) -> None:
    """Opens a notebook in the classic UI and waits for its kernel and widget manager.

    The manager, once made, asks the kernel for the widgets it has and then re-renders every
    widget output on the page, mutating each old view's output data so that it renders as
    nothing: a cell run before that pass loses its widget (widgetsnbextension 4.0.16). It asks on
    a `jupyter.widget.control` comm, which it closes once answered; a kernel that has not imported
    ipywidgets yet refuses that comm, and the manager falls back to a `comm_info_request`. Either
    way the page is ready once that answer was handled, which a comm_info round trip of our own,
    answered after the manager's, proves."""
    asked: list[str] = []
    with page.expect_websocket(lambda ws: "/channels" in ws.url, timeout=90_000) as opened:
        page.goto(f"{base}nbclassic/notebooks/{name}")
    channels = opened.value
    channels.on("framesent", lambda data: asked.extend(_manager_questions(data)))
    page.wait_for_function(
        "() => window.Jupyter?.notebook?.kernel?.is_connected?.()"
        " && !!Jupyter.notebook.kernel.comm_manager.targets['jupyter.widget']",
        timeout=90_000,
    )
    while "comm_close" not in asked and "comm_info_request" not in asked:
        # The listener above, registered first, has recorded the frame by the time this returns.
        channels.wait_for_event("framesent", _manager_questions, timeout=90_000)
    if "comm_close" not in asked:
        page.evaluate("() => new Promise((done) => Jupyter.notebook.kernel.comm_info('jupyter.widget', done))")


def _manager_questions(payload) -> list[str]:
    """The manager's start-up messages in a frame the page sent: closing its control comm, or
    asking which widget comms the kernel has."""
    found = re.search(r'"msg_type":\s*"(comm_close|comm_info_request)"', frame_text(payload))
    return [found.group(1)] if found else []


def run_all_cells(page) -> None:
    """Cell ▸ Run All, clicked in the menu bar as a user does."""
    page.click("#celllink")
    page.click("#run_all_cells > a")
