"""The analysis options, once: name, kind, default, range and help of every knob.

The widget's traits, ``python -m facescope analyze``'s flags, ``facescope.analyze(**options)``
and what the headless page receives all follow this table; an option whose ``where`` is
``"widget"`` (only the widget acts on it) is a trait and an analyze keyword but no flag. The
front end's twin is ``src/options.ts`` (the same options in camelCase: ``num_faces`` ↔
``numFaces``); ``tests/test_options.py`` checks that the two agree.

Adding an option is one row here and one in ``src/options.ts``.

>>> from facescope.options import OPTIONS, check
>>> OPTIONS["num_faces"].default, OPTIONS["num_faces"].ts_name
(1, 'numFaces')
>>> check({"num_faces": 2, "delegate": "GPU"})
{'num_faces': 2, 'delegate': 'GPU'}
>>> check({"num_faces": 0})
Traceback (most recent call last):
ValueError: num_faces must be an integer from 1 to 20, got 0
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["int", "float", "bool", "choice"]
#: Where an option acts: "everywhere" (widget, ``analyze``, CLI) or "widget" (the widget's own
#: viewer or page: a CLI run has neither, so it gets no flag there).
Where = Literal["everywhere", "widget"]


@dataclass(frozen=True)
class Option:
    """One row of the table. ``or_zero``: 0 is accepted too and switches the option off."""

    name: str
    kind: Kind
    default: Any
    help: str
    min: float | None = None
    max: float | None = None
    or_zero: bool = False
    choices: tuple[str, ...] = ()
    where: Where = "everywhere"

    @property
    def ts_name(self) -> str:
        """The front end's name: ``max_frames`` → ``maxFrames``."""
        first, *rest = self.name.split("_")
        return first + "".join(part.title() for part in rest)

    @property
    def flag(self) -> str:
        """The command line's name: ``max_frames`` → ``--max-frames``."""
        return "--" + self.name.replace("_", "-")

    def describe_range(self) -> str:
        """The allowed values in words (the front end's ``describeRange`` says the same)."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(f'"{c}"' for c in self.choices)
        what = "an integer" if self.kind == "int" else "a number"
        if self.min is not None and self.max is not None:
            text = f"{what} from {_num(self.min)} to {_num(self.max)}"
        elif self.min is not None:
            text = f"{what} of at least {_num(self.min)}"
        elif self.max is not None:
            text = f"{what} of at most {_num(self.max)}"
        else:
            text = what
        return f"0 or {text}" if self.or_zero else text

    def check(self, value: Any) -> Any:
        """``value`` if allowed (ints given for a float become floats), else ValueError naming the option."""
        if self.kind == "bool":
            ok = isinstance(value, bool)
        elif self.kind == "choice":
            ok = isinstance(value, str) and value in self.choices
        else:
            ok = _is_number(value, self.kind) and (
                (self.or_zero and value == 0)
                or ((self.min is None or value >= self.min) and (self.max is None or value <= self.max))
            )
        if not ok:
            raise ValueError(f"{self.name} must be {self.describe_range()}, got {value!r}")
        return float(value) if self.kind == "float" else value


def _is_number(value: Any, kind: str) -> bool:
    if isinstance(value, bool):
        return False  # True is an int to Python, never a face count to a user
    if kind == "int":
        return isinstance(value, int)
    return isinstance(value, (int, float)) and value == value and abs(value) != float("inf")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _table(*rows: Option) -> dict[str, Option]:
    return {row.name: row for row in rows}


#: Every option, in the order the CLI lists them. Help texts are plain text (argparse prints them).
OPTIONS: dict[str, Option] = _table(
    Option("num_faces", "int", 1, "most faces to track per frame", min=1, max=20),
    Option("min_detection_confidence", "float", 0.5, "face detector score needed to report a face", min=0, max=1),
    Option(
        "min_presence_confidence",
        "float",
        0.5,
        "landmark model's face-presence score needed to keep a face",
        min=0,
        max=1,
    ),
    Option(
        "min_tracking_confidence",
        "float",
        0.5,
        "score needed to keep following a face instead of detecting it again",
        min=0,
        max=1,
    ),
    Option(
        "delegate",
        "choice",
        "auto",
        "MediaPipe delegate; auto: GPU where WebGL is hardware-accelerated (confirmed by a short timed "
        "probe), CPU where it is a software rasteriser, as in headless Chromium (GPU is ~10x slower there)",
        choices=("auto", "CPU", "GPU"),
    ),
    Option("detector", "bool", True, "also run the face detector (boxes, scores, 6 keypoints per face)"),
    Option(
        "max_dim",
        "int",
        0,
        "downscale frames so the long side is at most this many pixels (0: keep the size)",
        min=16,
        or_zero=True,
    ),
    Option("max_frames", "int", 0, "analyse at most this many frames (0: all)", min=1, or_zero=True),
    Option(
        "live_viewer",
        "choice",
        "auto",
        "widget only: draw the Rerun viewer while a clip is analysed; auto: not where WebGL is a software "
        "rasteriser (no GPU), where the viewer's redrawing halves the analysis speed on 2 cores: it "
        "appears when the analysis ends, the progress bar and status line stay live",
        choices=("auto", "on", "off"),
        where="widget",
    ),
    Option(
        "viewer_memory_mb",
        "int",
        1500,
        "viewer memory budget in MB; a longer clip is shown as every n-th frame to fit (Python keeps every frame)",
        min=1,
        max=4096,
    ),
)

#: Old names kept for one release; using one warns (DeprecationWarning) and sets the new option.
DEPRECATED = {"max_frame": "max_frames"}


def renamed(options: Mapping[str, Any], *, stacklevel: int = 3) -> dict[str, Any]:
    """``options`` with deprecated names replaced by the current ones (warning once each).

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     renamed({"max_frame": 10})
    {'max_frames': 10}
    """
    out = dict(options)
    for old, new in DEPRECATED.items():
        if old in out:
            warnings.warn(f"{old} is deprecated; use {new}", DeprecationWarning, stacklevel=stacklevel)
            value = out.pop(old)
            out.setdefault(new, value)
    return out


def check(options: Mapping[str, Any]) -> dict[str, Any]:
    """The options, validated; ``None`` values are dropped (not given: the default applies).

    Raises TypeError for a name that is not an option and ValueError for a value out of range,
    so a bad value fails in Python before anything reaches the browser.
    """
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TypeError(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(OPTIONS)}")
    return {name: OPTIONS[name].check(value) for name, value in options.items() if value is not None}


def to_front_end(options: Mapping[str, Any]) -> dict[str, Any]:
    """Checked options by the front end's names: ``{"num_faces": 2}`` → ``{"numFaces": 2}``."""
    return {OPTIONS[name].ts_name: value for name, value in check(options).items()}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One flag per option that acts outside the widget (``--num-faces``, ``--no-detector`` …),
    checked as parsed.

    Flags left out stay ``None``, so the front end's default applies (the same, by the twin test).
    """
    for option in OPTIONS.values():
        if option.where != "everywhere":
            continue
        default = str(option.default).lower() if option.kind == "bool" else option.default
        help_text = f"{option.help} (default: {default})"
        if option.kind == "bool":
            parser.add_argument(option.flag, dest=option.name, action=argparse.BooleanOptionalAction, help=help_text)
        else:
            parser.add_argument(
                option.flag,
                dest=option.name,
                type=_parse_flag(option),
                help=help_text,
                metavar="|".join(option.choices) or {"int": "N", "float": "X"}[option.kind],
            )
    for old, new in DEPRECATED.items():
        parser.add_argument(
            "--" + old.replace("_", "-"), dest=old, type=_parse_flag(OPTIONS[new]), help=argparse.SUPPRESS
        )


def from_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The options given on the command line (deprecated flags renamed, with a warning)."""
    given = {name: getattr(args, name) for name in (*OPTIONS, *DEPRECATED) if getattr(args, name, None) is not None}
    return renamed(given)


def _parse_flag(option: Option):
    """argparse's ``type`` for ``option``: the text converted, then checked against the table."""

    def parse(text: str) -> Any:
        try:
            value = {"int": int, "float": float}.get(option.kind, str)(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option.name} must be {option.describe_range()}, got {text!r}") from None
        try:
            return option.check(value)
        except ValueError as error:  # argparse prints it after "argument --num-faces:"
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse
