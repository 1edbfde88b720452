"""Fixtures shared by every browser suite."""

from __future__ import annotations

import pytest

_MEASUREMENTS: list[str] = []


@pytest.fixture
def measure():
    """Records a line of numbers for the report at the end of the run (numbers are shown, not asserted)."""
    return _MEASUREMENTS.append


def pytest_terminal_summary(terminalreporter) -> None:
    if _MEASUREMENTS:
        terminalreporter.section("facescope measurements")
        for line in _MEASUREMENTS:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def playwright():
    """One Playwright driver for the whole run: its sync API allows only one per process."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def hostile_clips(tmp_path_factory) -> dict:
    """The reliability suite's odd inputs (tests/hostile_clips.py), built once per session."""
    from tests.hostile_clips import build

    return build(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def browser(playwright):
    """The system Chromium, launched once with the project's flags; tests open their own contexts."""
    from tests.browser import launch

    b = launch(playwright)
    yield b
    b.close()
