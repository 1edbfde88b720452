"""Command line: ``python -m facescope analyze CLIP --out DIR [options]`` for one clip,
``python -m facescope batch INPUT... --out DIR [--workers N] [--scheduler ADDRESS] [--force]`` for many.

Exit status: 0 analysed (also when no face was found), 1 the clip could not be analysed (the
message names the problem), 2 bad usage, 3 the environment (Chromium, the built app, the model),
130 / 143 stopped by Ctrl-C / SIGTERM (nothing written, no temporary file left; ``batch`` keeps
the clips finished and writes the manifest). ``batch`` exits 0 when every clip was analysed, 1 when
some failed (listed in DIR/manifest.parquet), 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Sequence
from typing import Any

from . import options as _options
from ._errors import AnalysisError
from ._private import process_tempdir
from ._sandbox import OPT_OUT_ENV
from ._signals import Stopped, handling_signals
from .headless import analyze_file

_ENVIRONMENT_CODES = {"environment", "model", "transfer"}


def _plain(text: str) -> str:
    """Docstring text as a terminal shows it: no reStructuredText ``literal`` markers."""
    return text.replace("``", "")


def _parser() -> argparse.ArgumentParser:
    summary, _, rest = __doc__.partition("\n\n")
    parser = argparse.ArgumentParser(
        prog="python -m facescope", description=_plain(summary.strip()), epilog=_plain(rest.strip())
    )
    commands = parser.add_subparsers(dest="command", required=True)
    analyze = commands.add_parser("analyze", help="analyse a clip in headless Chromium and write the results")
    analyze.add_argument("clip", help="video (MP4/MOV/WebM) or still image")
    analyze.add_argument(
        "--out",
        required=True,
        help="directory for Results.save's files (Parquet tables, .npy arrays, summary.json, recording.rrd)",
    )
    _add_analysis_arguments(analyze)
    batch = commands.add_parser(
        "batch", help="analyse many clips (files, folders, globs) into one folder, in parallel, resumably"
    )
    batch.add_argument("inputs", nargs="+", metavar="INPUT", help="clip, folder (searched recursively) or glob")
    batch.add_argument(
        "--out",
        required=True,
        help="folder for the tables (blendshapes/, head_pose/, detections/), clips/ and manifest",
    )
    batch.add_argument("--workers", type=int, default=1, help="processes on this machine, one Chromium each")
    batch.add_argument("--scheduler", help="address of a Dask scheduler: run the clips on its workers instead")
    batch.add_argument("--force", action="store_true", help="analyse again the clips an earlier run finished")
    _add_analysis_arguments(batch)
    return parser


def _add_analysis_arguments(command: argparse.ArgumentParser) -> None:
    """The options table's flags, --model and --no-sandbox: the same for one clip and for many."""
    _options.add_arguments(command)  # --num-faces, --max-frames, --delegate …: one per option
    command.add_argument(
        "--model", help="path to face_landmarker.task (default: FACESCOPE_MODEL, else the copy shipped with facescope)"
    )
    command.add_argument(
        "--no-sandbox",
        action="store_true",
        help=f"run Chromium without its sandbox, as {OPT_OUT_ENV}=1 does; only for a system where it "
        "fails although it should work (it is off by itself as root or without user namespaces)",
    )


class _Progress:
    """Phases as lines; frame progress at most once a second, so logs stay short."""

    def __init__(self) -> None:
        self.last = 0.0

    def __call__(self, event: dict[str, Any]) -> None:
        if "phase" in event:
            print(f"facescope: {event['phase']}", file=sys.stderr, flush=True)
            return
        now = time.monotonic()
        if now - self.last >= 1.0 or event.get("done") == event.get("total"):
            self.last = now
            print(
                f"facescope: {event['done']}/{event['total']} frames, {event['fps']:.1f} fps",
                file=sys.stderr,
                flush=True,
            )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.no_sandbox:
        os.environ[OPT_OUT_ENV] = "1"
    # One private temporary directory for everything this run and its browser write, removed at
    # the end, also after Ctrl-C or SIGTERM.
    try:
        with handling_signals(), process_tempdir():
            return _batch(args) if args.command == "batch" else _analyze(args)
    except Stopped as stop:
        print(f"facescope: {stop}; nothing written", file=sys.stderr)
        return 128 + stop.signum


def _analyze(args: argparse.Namespace) -> int:
    options = _options.from_arguments(args)
    try:
        result = analyze_file(args.clip, args.out, model=args.model, progress=_Progress(), **options)
    except AnalysisError as error:
        if error.partial is not None:
            error.partial.save(args.out)
            print(
                f"facescope: partial results of {error.partial.batch.frames} frames written to {args.out}",
                file=sys.stderr,
            )
        # Browser messages name the file by its base name; say which path was meant (a missing
        # file's message already does).
        where = "" if error.code == "missing-file" else f"{args.clip}: "
        print(f"facescope: error: {where}{_for_command_line(error)}", file=sys.stderr)
        return 3 if error.code in _ENVIRONMENT_CODES else 1
    s = result.summary
    faces = f"faces in {s['frames_with_faces']} of {s['frames']} frames" if s["face_found"] else "no face found"
    if s.get("kind") == "image":  # sniffed from the bytes: a PNG called .mp4 is analysed as the picture it is
        faces += f" (a still {str(s.get('codec', '')).upper()} image, analysed as one frame)"
    converted = f"; converted from {s['converted_from']}" if s.get("converted_from") else ""
    print(f"facescope: {s['frames']} frames, {faces}, {s['fps']:.1f} fps{converted}; wrote {args.out}", file=sys.stderr)
    if s.get("viewer_note"):
        print(f"facescope: {s['viewer_note']}", file=sys.stderr)
    for url in sorted(set(s.get("blocked_requests", []) + s.get("refused_requests", []))):
        print(f"facescope: blocked a request to {url}", file=sys.stderr)
    return 0


def _batch(args: argparse.Namespace) -> int:
    from .corpus import analyze_many

    options = _options.from_arguments(args)
    if args.model:
        options["model"] = args.model
    try:
        corpus = analyze_many(
            args.inputs, args.out, workers=args.workers, client=args.scheduler, force=args.force, **options
        )
    except Stopped as stop:
        print(f"facescope: {stop}; finished clips kept, manifest written to {args.out}", file=sys.stderr)
        return 128 + stop.signum
    except FileNotFoundError as error:
        print(f"facescope: error: {error}", file=sys.stderr)
        return 2
    manifest = corpus.manifest
    failed = corpus.failed
    for clip, error in zip(failed["clip"], failed["error"], strict=True):
        print(f"facescope: failed: {clip}: {error}", file=sys.stderr)
    done = int((manifest["status"] == "done").sum())
    print(
        f"facescope: {done} of {len(manifest)} clips analysed, {len(failed)} failed; wrote {args.out}", file=sys.stderr
    )
    return 1 if len(failed) else 0


def _for_command_line(error: AnalysisError) -> str:
    """The error's words, with the Python API's names for the model said the way this command takes
    it: ``FaceScope(model=…)`` (the widget's hint) and "the path given" (``model=``) → ``--model``."""
    if error.code != "model":
        return str(error)
    text = re.sub(r"FaceScope\(model=['\"]?([^'\")]*)['\"]?\)", r"--model \1", str(error))
    return text.replace("the path given", "--model")


if __name__ == "__main__":
    sys.exit(main())
