"""Sums jest's JSON report and pytest's JUnit XML into the one line CI reads: `N passed, N failed`."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def jest_counts(path: Path) -> tuple[int, int]:
    if not path.exists():
        return 0, 1  # jest did not even write its report: count that as a failure
    report = json.loads(path.read_text())
    failed = report["numFailedTests"] + report.get("numRuntimeErrorTestSuites", 0)
    return report["numPassedTests"], failed


def pytest_counts(path: Path) -> tuple[int, int, int]:
    if not path.exists():
        return 0, 1, 0
    passed = failed = skipped = 0
    for suite in ET.parse(path).getroot().iter("testsuite"):
        tests, errors = int(suite.get("tests", 0)), int(suite.get("errors", 0))
        fails, skips = int(suite.get("failures", 0)), int(suite.get("skipped", 0))
        failed += fails + errors
        skipped += skips
        passed += tests - fails - errors - skips
    return passed, failed, skipped


def main(jest_json: str, pytest_xml: str) -> int:
    jp, jf = jest_counts(Path(jest_json))
    pp, pf, ps = pytest_counts(Path(pytest_xml))
    print(f"jest: {jp} passed, {jf} failed")
    print(f"pytest: {pp} passed, {pf} failed, {ps} skipped")
    passed, failed = jp + pp, jf + pf
    print(f"{passed} passed, {failed} failed" + (f", {ps} skipped" if ps else ""))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
