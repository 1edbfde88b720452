"""Fixtures for the real-browser analysis suite: build the harness pages, serve them next to the
shared media and model (symlinked into a temp dir, never copied into the repo), open Chromium with
every request recorded."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser import MEDIA, MODEL, ROOT, serve_directory

HARNESS = ROOT / "build" / "harness"


@pytest.fixture(scope="session")
def harness_build() -> Path:
    if not os.environ.get("FACESCOPE_SKIP_BUILD"):
        subprocess.run(
            ["npx", "webpack", "--config", "tests/harness/webpack.config.js"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    assert (HARNESS / "analysis.js").exists(), (
        "harness bundle missing; build it with npx webpack --config tests/harness/webpack.config.js"
    )
    return HARNESS


@pytest.fixture(scope="session")
def base_url(harness_build: Path):
    if not MODEL.exists():
        pytest.skip(f"model not found at {MODEL}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "harness").symlink_to(harness_build)
        (root / "media").symlink_to(MEDIA)
        (root / "models").symlink_to(MODEL.parent)
        extra = root / "extra"  # clips generated at test time (e.g. rotated) live here
        extra.mkdir()
        with serve_directory(root) as url:
            yield url, root


class AnalysisPage:
    def __init__(self, page, server, requests: list[str], console: list[str]):
        self.base_url, self.serve_root = server
        self.page, self.requests, self.console = page, requests, console

    def run(self, clip: str, timeout_ms: int = 240_000, **kwargs) -> dict:
        req = {"clipUrl": self.base_url + clip, "modelUrl": self.base_url + "models/" + MODEL.name, **kwargs}
        self.page.set_default_timeout(timeout_ms)
        return self.page.evaluate("req => window.facescopeAnalysis.run(req)", req)

    def foreign_requests(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname != "127.0.0.1"
        ]


@pytest.fixture
def analysis_page(browser, base_url):
    context = browser.new_context()
    requests: list[str] = []
    console: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("worker", lambda w: w.on("console", lambda m: console.append(f"worker {m.type}: {m.text}")))
    page.goto(base_url[0] + "harness/analysis.html")
    page.wait_for_function("window.facescopeAnalysis && window.facescopeAnalysis.ready")
    yield AnalysisPage(page, base_url, requests, console)
    context.close()
