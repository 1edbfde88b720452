"""Model resolution: explicit, env, cache, download with sha256 check (from a local server)."""
from __future__ import annotations

import hashlib

import pytest

from facescope.model import MODEL_SHA256, ModelError, resolve_model
from tests.browser import MODEL, serve_directory

FAKE = b"PK\x03\x04 a pretend task bundle"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.delenv("FACESCOPE_MODEL", raising=False)
    monkeypatch.delenv("FACESCOPE_MODEL_URL", raising=False)
    monkeypatch.setenv("FACESCOPE_CACHE", str(tmp_path / "cache"))
    return tmp_path


def test_pinned_sha_matches_the_official_bundle():
    assert hashlib.sha256(MODEL.read_bytes()).hexdigest() == MODEL_SHA256


def test_explicit_bytes_and_path_win(tmp_path, monkeypatch):
    monkeypatch.setenv("FACESCOPE_MODEL", "/nonexistent.task")
    assert resolve_model(FAKE) == FAKE
    path = tmp_path / "m.task"
    path.write_bytes(FAKE)
    assert resolve_model(path) == FAKE
    with pytest.raises(ModelError, match="not a MediaPipe .task bundle"):
        resolve_model(b"hello")


def test_env_var(tmp_path, monkeypatch):
    monkeypatch.setenv("FACESCOPE_MODEL", str(MODEL))
    assert resolve_model() == MODEL.read_bytes()
    monkeypatch.setenv("FACESCOPE_MODEL", str(tmp_path / "missing.task"))
    with pytest.raises(ModelError, match="FACESCOPE_MODEL"):
        resolve_model()


def test_download_is_verified_then_cached(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    (served / "face_landmarker.task").write_bytes(FAKE)
    sha = hashlib.sha256(FAKE).hexdigest()
    with serve_directory(served) as base:
        url = base + "face_landmarker.task"
        with pytest.raises(ModelError, match="expected"):
            resolve_model(url=url)  # the pinned official sha does not match these bytes
        assert not (tmp_path / "cache" / "face_landmarker.task").exists()
        assert resolve_model(url=url, sha256=sha) == FAKE
    # The server is gone: the cache answers.
    assert resolve_model(url="http://127.0.0.1:9/none", sha256=sha) == FAKE


def test_unreachable_url_says_what_to_do():
    with pytest.raises(ModelError, match="FACESCOPE_MODEL"):
        resolve_model(url="http://127.0.0.1:9/face_landmarker.task", timeout=2)
