"""Where the MediaPipe face model comes from: never from a hub at import time, only on request.

Order: an explicit path or bytes → ``FACESCOPE_MODEL`` → the user cache → a download from the
official MediaPipe URL, checked against a pinned sha256 before it is cached.

>>> from facescope.model import resolve_model
>>> data = resolve_model()          # doctest: +SKIP  (downloads once, then uses the cache)
>>> len(data) > 1_000_000           # doctest: +SKIP
True
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.request
from pathlib import Path

from ._private import private_dir

MODEL_URL = ("https://storage.googleapis.com/mediapipe-models/face_landmarker/"
             "face_landmarker/float16/1/face_landmarker.task")
MODEL_SHA256 = "64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff"
MODEL_FILE = "face_landmarker.task"


class ModelError(RuntimeError):
    """The face model could not be found, read, downloaded or verified."""


def cache_dir() -> Path:
    """``$FACESCOPE_CACHE``, else ``$XDG_CACHE_HOME/facescope``, else ``~/.cache/facescope``."""
    if os.environ.get("FACESCOPE_CACHE"):
        return Path(os.environ["FACESCOPE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "facescope"


def _looks_like_task(data: bytes) -> bool:
    # A .task is a zip archive; the official one has two padding bytes before its first header.
    return b"PK\x03\x04" in data[:64]


def _read(path: Path, origin: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ModelError(f"cannot read the face model from {origin} {path}: {error.strerror or error}") from error
    if not _looks_like_task(data):
        raise ModelError(f"{path} ({origin}) is not a MediaPipe .task bundle (expected a zip file)")
    return data


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def resolve_model(model: str | os.PathLike | bytes | None = None, *, url: str | None = None,
                  sha256: str = MODEL_SHA256, timeout: float = 60) -> bytes:
    """Returns the bytes of ``face_landmarker.task``.

    ``model`` may be the bundle's bytes or a path to it. Without it, ``FACESCOPE_MODEL`` names a
    path; then the cache is used; then the model is downloaded from ``url`` (the official
    MediaPipe URL, or ``FACESCOPE_MODEL_URL``) and kept in the cache only if its sha256 matches.
    """
    if isinstance(model, (bytes, bytearray, memoryview)):
        data = bytes(model)
        if not _looks_like_task(data):
            raise ModelError("the model bytes are not a MediaPipe .task bundle (expected a zip file)")
        return data
    if model is not None:
        return _read(Path(model).expanduser(), "the path given")
    if os.environ.get("FACESCOPE_MODEL"):
        return _read(Path(os.environ["FACESCOPE_MODEL"]).expanduser(), "FACESCOPE_MODEL")
    cached = cache_dir() / MODEL_FILE
    if cached.exists():
        data = cached.read_bytes()
        if _sha256(data) == sha256:
            return data
        cached.unlink()  # a partial or tampered copy: fetch it again
    return _download(url or os.environ.get("FACESCOPE_MODEL_URL") or MODEL_URL, cached, sha256, timeout)


def _download(url: str, target: Path, sha256: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
    except OSError as error:
        raise ModelError(
            f"could not download the face model from {url} ({error}). Download it elsewhere and pass "
            f"FaceScope(model='path/to/{MODEL_FILE}') or set FACESCOPE_MODEL to its path.") from error
    digest = _sha256(data)
    if digest != sha256:
        raise ModelError(f"the model downloaded from {url} has sha256 {digest}, expected {sha256}; not using it")
    private_dir(target.parent)  # 0700: what is cached beside the model (the demo clip) is the user's
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, target)  # atomic: a crash never leaves half a model in the cache
    return data
