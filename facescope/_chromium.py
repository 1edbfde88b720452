"""The headless Chromium that facescope drives: which binary, and the one list of its flags.

Used by the headless analyser and by the test suites (tests/browser.py imports it), so the browser
under test is launched exactly as the product launches it.
"""

from __future__ import annotations

import glob
import os
import signal
import sys

from ._sandbox import Sandbox, sandbox

# These flags keep Chromium from phoning home (on a machine with no network every attempt would be
# refused) and let WebGL2 fall back to SwiftShader for the Rerun viewer. The sandbox and the GPU
# are decided per machine, below.
CHROMIUM_ARGS = [
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]

_announced: set[str] = set()
_launched: set[int] = set()  # browser pids of the Chromiums launch() started, until they disconnect


def chromium_executable() -> str:
    """``FACESCOPE_CHROMIUM``, else the system Chromium."""
    return os.environ.get("FACESCOPE_CHROMIUM", "/usr/bin/chromium")


def chromium_sandbox() -> Sandbox:
    """Whether this process's Chromium runs sandboxed; when not, says why on stderr, once."""
    box = sandbox(chromium_executable())
    if not box.on and box.reason not in _announced:
        _announced.add(box.reason)
        print(f"facescope: Chromium sandbox off: {box.reason}", file=sys.stderr, flush=True)
    return box


def gpu_args() -> list[str]:
    """``--disable-gpu`` where there is certainly no hardware GL: no DRM render node. Elsewhere
    Chromium tries the GPU and falls back to SwiftShader by itself."""
    return [] if glob.glob("/dev/dri/renderD*") else ["--disable-gpu"]


def chromium_args(box: Sandbox | None = None) -> list[str]:
    """Every flag of a facescope Chromium, for launching it without Playwright."""
    box = box or chromium_sandbox()
    return ([] if box.on else ["--no-sandbox"]) + gpu_args() + CHROMIUM_ARGS


def launch(playwright, **kwargs):
    """Launch Chromium headless with the project's flags (extra ``args`` are appended), sandboxed
    where it can be (Playwright adds ``--no-sandbox`` unless told ``chromium_sandbox=True``)."""
    box = chromium_sandbox()
    args = chromium_args(box) + list(kwargs.pop("args", []))
    if box.on:
        kwargs["chromium_sandbox"] = True
    browser = playwright.chromium.launch(executable_path=chromium_executable(), headless=True, args=args, **kwargs)
    pid = browser_pid(browser)
    _launched.add(pid)
    browser.on("disconnected", lambda _: _launched.discard(pid))
    return browser


def browser_pid(browser) -> int:
    """The process id of a launched Chromium (Playwright does not expose it; DevTools does)."""
    session = browser.new_browser_cdp_session()
    try:
        info = session.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        session.detach()
    return next(p["id"] for p in info if p["type"] == "browser")


def kill_launched() -> bool:
    """Ends every Chromium ``launch`` started that is still open, with all its processes, at once
    (Playwright makes each the leader of its own process group). Safe in a signal handler. Returns
    whether there was one."""
    pids = list(_launched)
    for pid in pids:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return bool(pids)
