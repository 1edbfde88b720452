"""Whether Chromium's sandbox can work here, and if not, why (said once, in plain words).

Chromium confines its renderers (which parse the clip and run MediaPipe) with a Linux sandbox built
either on unprivileged user namespaces or on a setuid-root ``chrome-sandbox`` helper. It refuses to
start as root unless told ``--no-sandbox``, and without either mechanism it does not start at all.
So the sandbox is on unless one of those holds, or the user opts out (``FACESCOPE_NO_SANDBOX=1``,
``python -m facescope analyze --no-sandbox``) for an environment this check gets wrong.
"""

from __future__ import annotations

import functools
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

OPT_OUT_ENV = "FACESCOPE_NO_SANDBOX"
# What Chromium's namespace sandbox asks of the kernel (sandbox/linux/services/namespace_utils.cc).
_PROBE = (
    "import ctypes, sys; CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000; "
    "sys.exit(ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET))"
)


@dataclass(frozen=True)
class Sandbox:
    on: bool
    reason: str = ""  # why it is off; empty when on

    def describe(self) -> str:
        """``on``, or ``off: <reason>`` (the summary's ``chromiumSandbox``)."""
        return "on" if self.on else f"off: {self.reason}"


def sandbox(executable: str) -> Sandbox:
    """Whether Chromium at ``executable`` can run with its sandbox for this process's user."""
    if os.environ.get(OPT_OUT_ENV, "") not in ("", "0"):
        return Sandbox(False, f"{OPT_OUT_ENV} is set")
    if os.geteuid() == 0:
        return Sandbox(False, "running as root")
    if not (user_namespaces() or setuid_helper(executable)):
        return Sandbox(False, "this system allows no user namespaces and has no setuid chrome-sandbox")
    return Sandbox(True)


@functools.cache
def user_namespaces() -> bool:
    """Whether this user may create the namespaces Chromium's sandbox uses. Tried in a child
    process, since unshare would change this one; a kernel or container that forbids it (Debian's
    ``kernel.unprivileged_userns_clone=0``, Docker's default seccomp profile, AppArmor) fails it."""
    try:
        done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def setuid_helper(executable: str) -> bool:
    """Whether a setuid-root ``chrome-sandbox`` is there for Chromium to use instead (where Chromium
    looks: ``CHROME_DEVEL_SANDBOX``, else beside the real binary)."""
    candidates = [Path(os.environ["CHROME_DEVEL_SANDBOX"])] if os.environ.get("CHROME_DEVEL_SANDBOX") else []
    candidates.append(Path(executable).resolve().parent / "chrome-sandbox")
    for helper in candidates:
        try:
            info = helper.stat()
        except OSError:
            continue
        if info.st_uid == 0 and info.st_mode & stat.S_ISUID:
            return True
    return False
