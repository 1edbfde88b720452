"""A running `python -m facescope analyze`, watched from outside as another local process would see
it: its processes, its listening ports, its stderr while it runs (Linux /proc)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.browser import MODEL, ROOT


@dataclass
class CliProcess:
    proc: subprocess.Popen
    stderr_path: Path
    out: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def wait_for(self, what: str, ready: Callable[[], object], deadline_s: float = 300) -> object:
        """Polls ``ready`` until it returns something truthy, while the CLI runs; fails if the CLI
        ends first or the deadline passes. The pause between polls is a wait on the process."""
        end = time.monotonic() + deadline_s
        while True:
            value = ready()
            if value:
                return value
            if self.proc.poll() is not None:
                raise AssertionError(f"the CLI ended (exit {self.proc.returncode}) before {what}:\n{self.stderr()}")
            if time.monotonic() > end:
                raise AssertionError(f"no {what} within {deadline_s} s:\n{self.stderr()}")
            try:
                self.proc.wait(timeout=0.02)
            except subprocess.TimeoutExpired:
                pass

    def finish(self, timeout: float = 600) -> int:
        return self.proc.wait(timeout=timeout)


def start_cli(
    clip: Path,
    out: Path,
    *args: str,
    env: dict[str, str] | None = None,
    stderr_path: Path,
    prefix: Sequence[str] = (),
    python: str = sys.executable,
    new_session: bool = False,
) -> CliProcess:
    """Starts the CLI; ``prefix`` runs it through another command (``runuser -u USER --``)."""
    full_env = {**os.environ, "FACESCOPE_MODEL": str(MODEL), **(env or {})}
    with open(stderr_path, "wb") as err:
        proc = subprocess.Popen(
            [*prefix, python, "-m", "facescope", "analyze", str(clip), "--out", str(out), *args],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=new_session,
        )
    return CliProcess(proc, stderr_path, out)


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cmdline(pid: int) -> list[str]:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").decode(errors="replace").split("\0")
    except OSError:
        return []
    # Chromium's zygote children rewrite their title into one space-separated string.
    return args[0].split(" ") if len(args) == 1 else args


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to reap it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def chromium_processes(pids: Sequence[int]) -> dict[int, list[str]]:
    """The Chromium processes among ``pids``, with their command lines."""
    found = {}
    for pid in pids:
        args = cmdline(pid)
        if args and Path(args[0]).name in ("chromium", "chrome", "headless_shell"):
            found[pid] = args
    return found


def listening_ports(pid: int) -> list[int]:
    """TCP ports ``pid`` listens on (its socket inodes matched against /proc/net/tcp)."""
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd) if fd.is_symlink() else ""
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    except OSError:
        return []
    ports = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
            ports.append(int(fields[1].split(":")[1], 16))
    return ports
