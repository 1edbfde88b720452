"""Session-scoped hosts for the host matrix (test_host_matrix.py): per host one server and one
Chromium, started on first use and shared by every test that asks for them."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import pytest

from tests.browser import MEDIA
from tests.e2e.notebook_page import PageRecord, recorded_page

#: One short clip for every host: 75 frames, one face.
CLIP = MEDIA / "a_talking_grid_s1_bbaf2n.mp4"
CLIP_FRAMES = 75


@dataclass
class Host:
    """A running host: where it serves, and the recorded page that shows it."""

    base: str
    page: Any
    record: PageRecord
    extra: Any = None


@contextlib.contextmanager
def _host(playwright, server):
    with server as base, recorded_page(playwright, height=1100) as (page, record):
        yield Host(base, page, record)


@pytest.fixture(scope="session")
def marimo_host(playwright):
    from tests.e2e.marimo_host import marimo_server

    with _host(playwright, marimo_server(CLIP)) as host:
        yield host


@pytest.fixture(scope="session")
def voila_host(playwright):
    from tests.e2e.voila_host import voila_server

    with _host(playwright, voila_server(CLIP)) as host:
        yield host


@pytest.fixture(scope="session")
def classic_host(playwright, tmp_path_factory):
    from tests.e2e.classic_host import classic_server
    from tests.e2e.notebook_page import write_notebook

    notebook = write_notebook(
        tmp_path_factory.mktemp("classic") / "facescope_classic.ipynb",
        [
            f"from facescope import FaceScope\nscope = FaceScope({str(CLIP)!r}, height=420)\nscope",
            "results = await scope.analyzed(timeout=300)\n"
            "print('facescope-kernel:', f'status={scope.status} rows={len(scope.blendshapes)} error={scope.error!r}')",
        ],
    )
    with _host(playwright, classic_server([notebook])) as host:
        host.extra = notebook.name
        yield host


@pytest.fixture(scope="session")
def bare_host(playwright):
    from tests.e2e.bare_host import bare_host as serve_bare

    with serve_bare() as bare, recorded_page(playwright, height=1100) as (page, record):
        yield Host(bare.url, page, record, extra=bare)
