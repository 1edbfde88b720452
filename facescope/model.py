"""Where the MediaPipe face model comes from: the package itself, so nothing is ever downloaded.

Order: an explicit path or bytes → ``FACESCOPE_MODEL`` → the copy shipped inside facescope
(``facescope/models/face_landmarker.task``, Apache-2.0, see NOTICE there), checked against its
sha256 so that a damaged install fails with words instead of inside MediaPipe's wasm.

>>> from facescope.model import resolve_model
>>> data = resolve_model()          # the packaged model unless FACESCOPE_MODEL names another
>>> len(data) > 1_000_000
True
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

MODEL_FILE = "face_landmarker.task"
#: The packaged model's digest; also that of MediaPipe's official float16/1 release.
MODEL_SHA256 = "64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff"
PACKAGED_MODEL = Path(__file__).parent / "models" / MODEL_FILE


class ModelError(RuntimeError):
    """The face model could not be found, read or verified."""


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


def packaged_model(path: Path | None = None) -> bytes:
    """The model shipped inside facescope, after checking its sha256 (``path``: tests check copies)."""
    path = PACKAGED_MODEL if path is None else path
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ModelError(
            f"the face model shipped with facescope is missing ({path}: {error.strerror or error}); "
            "reinstall facescope, or pass FaceScope(model='path/to/face_landmarker.task') "
            "or set FACESCOPE_MODEL"
        ) from error
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        raise ModelError(
            f"the face model shipped with facescope is damaged: {path} has sha256 {digest}, "
            f"expected {MODEL_SHA256}. Reinstall facescope (pip install --force-reinstall "
            "facescope), or pass FaceScope(model=...) or set FACESCOPE_MODEL"
        )
    return data


def resolve_model(model: str | os.PathLike | bytes | None = None) -> bytes:
    """Returns the bytes of ``face_landmarker.task``.

    ``model`` may be the bundle's bytes or a path to it; without it ``FACESCOPE_MODEL`` may name a
    path; else the packaged copy is used. Overrides are only checked to be .task bundles (any
    compatible MediaPipe face landmarker may be given); the packaged copy must match its sha256.
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
    return packaged_model()
