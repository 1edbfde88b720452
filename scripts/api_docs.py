"""Writes docs/api.md, the reference of facescope's public Python surface, from the docstrings.

    .venv/bin/python scripts/api_docs.py           # rewrite docs/api.md
    .venv/bin/python scripts/api_docs.py --check   # exit 1 if docs/api.md is out of date

Generated rather than written by hand so it cannot drift from the code: tests/test_api_docs.py
fails when a docstring, a signature, a trait or a CLI flag changes and docs/api.md was not rewritten.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "api.md"
_SKIP = re.compile(r"\s*#\s*doctest:\s*\+SKIP\s*(.*)$")


def _signature(fn, name: str) -> str:
    """``name(a, b=1, *, c=None)``: parameter names and defaults; the types are in the docstring."""
    sig = inspect.signature(fn)
    params = [
        p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values() if p.name not in ("self", "cls")
    ]
    return f"{name}{sig.replace(parameters=params, return_annotation=inspect.Signature.empty)}"


def _doc(obj) -> str:
    """The docstring as Markdown: doctest lines in a python block, without doctest directives."""
    out, code = [], False
    for line in (inspect.getdoc(obj) or "").splitlines():
        starts_code = line.startswith((">>> ", "... ")) or line in (">>>", "...")
        if starts_code and not code:
            out.append("```python")
            code = True
        elif code and not line.strip():
            out.append("```")
            code = False
        m = _SKIP.search(line)
        if m:  # keep a note that follows the directive as a comment
            line = line[: m.start()] + (f"  # {m[1]}" if m[1] else "")
        out.append(line)
    if code:
        out.append("```")
    return "\n".join(out).strip()


def _members(cls, stop: type) -> list[tuple[str, object]]:
    """Public attributes defined on ``cls`` and its bases up to ``stop`` (excluded), in source order."""
    seen: dict[str, object] = {}
    for klass in cls.__mro__:
        if klass is stop or klass is object:
            break
        for name, value in vars(klass).items():
            if not name.startswith("_") and name not in seen:
                seen[name] = value
    return list(seen.items())


def _member(owner: str, name: str, value) -> list[str]:
    if isinstance(value, property):
        head, fn = f"### `{owner}.{name}` (property)", value.fget
    elif isinstance(value, (classmethod, staticmethod)):
        head, fn = f"### `{_signature(value.__func__, f'{owner}.{name}')}` ({type(value).__name__})", value.__func__
    elif inspect.isfunction(value):
        head, fn = f"### `{_signature(value, f'{owner}.{name}')}`", value
    else:
        return []
    return [head, "", _doc(fn), ""]


def _traits(cls, base) -> list[str]:
    own = {
        k: v for k, v in cls.class_traits(sync=True).items() if k not in base.class_traits() and not k.startswith("_")
    }
    rows = ["| trait | type | default | |", "| --- | --- | --- | --- |"]
    for name, trait in own.items():
        note = ("(set by the front end) " if trait.read_only else "") + (trait.help or "")
        rows.append(f"| `{name}` | {type(trait).__name__} | `{trait.default()!r}` | {note.strip()} |")
    return rows


def _cli_help(command: str) -> str:
    from facescope.__main__ import main

    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: fix the width …
    os.environ["NO_COLOR"] = "1"  # … and never colours it (Python ≥ 3.14 may)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.suppress(SystemExit):
        main([command, "--help"])
    return buffer.getvalue().rstrip()


def render() -> str:
    import anywidget

    import facescope
    from facescope import corpus, headless, results

    lines = [
        "# facescope API reference",
        "",
        "Generated from the docstrings by `scripts/api_docs.py` (do not edit: run it; "
        "`tests/test_api_docs.py` checks this file is current). The files the file methods write: "
        'README, "Files". Changes between releases: CHANGELOG.md.',
        "",
    ]
    lines += [
        "## The widget",
        "",
        f"### `{_signature(facescope.FaceScope.__init__, 'facescope.FaceScope')}`",
        "",
        _doc(facescope.FaceScope),
        "",
        "Traits (synced with the browser):",
        "",
        *_traits(facescope.FaceScope, anywidget.AnyWidget),
        "",
    ]
    for name, value in _members(facescope.FaceScope, anywidget.AnyWidget):
        lines += _member("FaceScope", name, value)
    lines += ["## Without a widget", ""]
    for fn in (facescope.analyze, facescope.analyze_many, facescope.load):
        lines += [f"### `{_signature(fn, 'facescope.' + fn.__name__)}`", "", _doc(fn), ""]
    lines += ["### `facescope.headless.AnalysisError`", "", _doc(headless.AnalysisError), ""]
    lines += ["### `facescope.corpus.Corpus(out)`", "", _doc(corpus.Corpus), ""]
    for name, value in _members(corpus.Corpus, object):
        lines += _member("Corpus", name, value)
    lines += [
        "## Results",
        "",
        f"### `{_signature(results.Results.__init__, 'facescope.Results')}`",
        "",
        _doc(results.Results),
        "",
    ]
    for name, value in _members(results.Results, object):
        lines += _member("Results", name, value)
    lines += ["### Constants", ""]
    for name in ("BLENDSHAPE_NAMES", "DETECTOR_KEYPOINT_NAMES", "OUTPUT_FILES"):
        value = getattr(results, name)
        shown = ", ".join(f"`{v}`" for v in value) if len(value) <= 10 else f"`{value[0]}` … `{value[-1]}`"
        lines += [f"- `facescope.results.{name}`: {len(value)} names, {shown}"]
    lines += ["", "## Command line", "", "```text", _cli_help("analyze"), "```", ""]
    lines += ["```text", _cli_help("batch"), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    text = render()
    if "--check" in sys.argv:
        current = OUT.read_text() if OUT.exists() else ""
        print("docs/api.md is current" if current == text else "docs/api.md is out of date: run scripts/api_docs.py")
        sys.exit(0 if current == text else 1)
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)}")
