"""Sums jest's JSON report, pytest's JUnit XML and scripts/lint.py's report (each linter one item) into the one
line CI reads: `N passed, N failed`."""

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


def lint_counts(path: Path) -> tuple[int, int]:
    if not path.exists():
        return 0, 1  # the linters did not report: a failure
    outcomes = json.loads(path.read_text())
    return sum(1 for ok in outcomes.values() if ok), sum(1 for ok in outcomes.values() if not ok)


def main(jest_json: str, pytest_xml: str, lint_json: str | None = None) -> int:
    jp, jf = jest_counts(Path(jest_json))
    pp, pf, ps = pytest_counts(Path(pytest_xml))
    lp, lf = lint_counts(Path(lint_json)) if lint_json else (0, 0)
    if lint_json:
        print(f"lint: {lp} passed, {lf} failed")
    print(f"jest: {jp} passed, {jf} failed")
    print(f"pytest: {pp} passed, {pf} failed, {ps} skipped")
    passed, failed = jp + pp + lp, jf + pf + lf
    print(f"{passed} passed, {failed} failed" + (f", {ps} skipped" if ps else ""))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
