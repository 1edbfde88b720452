"""Model resolution: explicit bytes or path → FACESCOPE_MODEL → the copy inside the package."""

from __future__ import annotations

import hashlib
import socket

import pytest

from facescope import model as model_module
from facescope.model import MODEL_SHA256, PACKAGED_MODEL, ModelError, packaged_model, resolve_model
from tests.browser import MODEL

FAKE = b"PK\x03\x04 a pretend task bundle"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.delenv("FACESCOPE_MODEL", raising=False)
    return tmp_path


def test_the_package_ships_the_official_bundle():
    assert hashlib.sha256(MODEL.read_bytes()).hexdigest() == MODEL_SHA256
    assert PACKAGED_MODEL.read_bytes() == MODEL.read_bytes()
    notice = (PACKAGED_MODEL.parent / "NOTICE").read_text()
    assert MODEL_SHA256 in notice and "Apache License, Version 2.0" in notice
    assert "Apache License" in (PACKAGED_MODEL.parent / "LICENSE").read_text()


def test_without_overrides_the_packaged_model_is_used_and_nothing_is_fetched(monkeypatch):
    # Any socket opened now would be a download: make it fail loudly.
    def no_network(*args, **kwargs):
        raise AssertionError("resolve_model() touched the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert resolve_model() == MODEL.read_bytes()


def test_explicit_bytes_and_path_win_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("FACESCOPE_MODEL", "/nonexistent.task")
    assert resolve_model(FAKE) == FAKE
    path = tmp_path / "m.task"
    path.write_bytes(FAKE)
    assert resolve_model(path) == FAKE
    with pytest.raises(ModelError, match="not a MediaPipe .task bundle"):
        resolve_model(b"hello")


def test_the_environment_wins_over_the_packaged_model(tmp_path, monkeypatch):
    path = tmp_path / "other.task"
    path.write_bytes(FAKE)  # overrides are not held to the packaged digest: other versions may be used
    monkeypatch.setenv("FACESCOPE_MODEL", str(path))
    assert resolve_model() == FAKE
    monkeypatch.setenv("FACESCOPE_MODEL", str(tmp_path / "missing.task"))
    with pytest.raises(ModelError, match="FACESCOPE_MODEL"):
        resolve_model()


def test_a_damaged_packaged_copy_is_refused_in_words(tmp_path, monkeypatch):
    damaged = tmp_path / "face_landmarker.task"
    data = bytearray(MODEL.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte: still a zip header, not the model any more
    damaged.write_bytes(bytes(data))
    monkeypatch.setattr(model_module, "PACKAGED_MODEL", damaged)
    with pytest.raises(ModelError, match=r"shipped with facescope is damaged: .* expected 64184e22.*Reinstall"):
        resolve_model()
    with pytest.raises(ModelError, match="damaged"):
        packaged_model(damaged)
    monkeypatch.setattr(model_module, "PACKAGED_MODEL", tmp_path / "gone.task")
    with pytest.raises(ModelError, match="shipped with facescope is missing"):
        resolve_model()
