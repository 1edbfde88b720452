"""Runs the linters one after another, each to the end, and says which failed: `make lint`.

With ``--report FILE`` it also writes ``{"linter": passed?}`` as JSON, which scripts/summarize_tests.py
counts into `make test`'s closing line, one item a linter.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "node_modules" / ".bin"
# Ruff from the same environment as this Python (the .venv, where the `test` extra pins it).
RUFF = [sys.executable, "-m", "ruff"]

LINTERS = {
    "ruff check": [*RUFF, "check", "."],
    "ruff format --check": [*RUFF, "format", "--check", "."],
    "biome check": [str(BIN / "biome"), "check", "--error-on-warnings", "."],
    "tsc --noEmit": [str(BIN / "tsc"), "--noEmit", "-p", "tsconfig.json"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="write each linter's outcome here, as JSON")
    args = parser.parse_args()
    passed: dict[str, bool] = {}
    for name, command in LINTERS.items():
        print(f"--- {name}", flush=True)
        try:
            passed[name] = subprocess.run(command, cwd=ROOT).returncode == 0
        except FileNotFoundError as error:  # node_modules or the .venv not installed: `make setup`
            print(error, file=sys.stderr)
            passed[name] = False
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(passed, indent=2) + "\n")
    failed = [name for name, ok in passed.items() if not ok]
    print(
        f"lint: {len(passed) - len(failed)} passed, {len(failed)} failed"
        + (f" ({', '.join(failed)})" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
