"""Files facescope writes are readable by the user only: faces are biometric data.

Directories it creates are 0700 and files 0600, whatever the umask; temporary directories are
removed when the block that made them ends, by an error or an interrupt too (see ``_signals``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

DIR_MODE, FILE_MODE = 0o700, 0o600


def private_dir(path: str | os.PathLike) -> Path:
    """Creates ``path`` and its missing parents as 0700. A directory that exists is the user's
    choice and is left as it is (the files written into it are private anyway)."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for p in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            p.mkdir(mode=DIR_MODE)
        os.chmod(p, DIR_MODE)  # mkdir's mode is masked by the umask
    return path


def open_private(path: str | os.PathLike) -> BinaryIO:
    """Opens ``path`` for writing (truncated) as a 0600 file, also when it existed with wider modes."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # O_CREAT's mode applies to new files only
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def write_private(path: str | os.PathLike, data: bytes) -> None:
    with open_private(path) as f:
        f.write(data)


@contextlib.contextmanager
def private_tempdir(prefix: str = "facescope-", parent: str | os.PathLike | None = None) -> Iterator[Path]:
    """A new 0700 temporary directory, removed with everything in it when the block ends."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))  # mkdtemp makes it 0700
    try:
        yield path
    finally:
        remove_tree(path)


def remove_tree(path: Path) -> None:
    """Removes ``path``; a process that is still exiting may add a file meanwhile, so retries."""
    for _ in range(5):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            return
    shutil.rmtree(path)  # raises, naming what could not be removed


@contextlib.contextmanager
def process_tempdir() -> Iterator[Path]:
    """Points this process's temporary files, and those of the processes it starts (Playwright's
    driver puts Chromium's profile and the downloads in its TMPDIR), at one private directory that
    is removed when the block ends: a command-line run leaves nothing behind."""
    saved = os.environ.get("TMPDIR"), tempfile.tempdir
    # A short name: Chromium's singleton socket lives in TMPDIR, and a socket path has 107 bytes at most.
    with private_tempdir("fs-") as path:
        os.environ["TMPDIR"], tempfile.tempdir = str(path), str(path)
        try:
            yield path
        finally:
            if saved[0] is None:
                os.environ.pop("TMPDIR", None)
            else:
                os.environ["TMPDIR"] = saved[0]
            tempfile.tempdir = saved[1]
