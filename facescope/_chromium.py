"""The headless Chromium that facescope drives: which binary, and the one list of its flags.

Used by the headless analyser and by the test suites (tests/browser.py imports it), so the browser
under test is launched exactly as the product launches it.
"""
from __future__ import annotations

import os

# Headless Chromium as root on a machine with no network: these flags keep it from phoning home
# (every attempt would be refused) and let WebGL2 fall back to SwiftShader for the Rerun viewer.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]


def chromium_executable() -> str:
    """``FACESCOPE_CHROMIUM``, else the system Chromium."""
    return os.environ.get("FACESCOPE_CHROMIUM", "/usr/bin/chromium")


def launch(playwright, **kwargs):
    """Launch Chromium headless with the project's flags (extra ``args`` are appended)."""
    args = CHROMIUM_ARGS + list(kwargs.pop("args", []))
    return playwright.chromium.launch(executable_path=chromium_executable(), headless=True, args=args, **kwargs)
