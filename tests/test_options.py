"""The options table and the limits: Python's (facescope/options.py, facescope/_limits.py) and the
front end's (src/options.ts, src/limits.ts, printed by tests/twin_fixture.ts) must agree, and the
widget, ``analyze`` and the CLI must all follow the table."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import warnings

import pytest
import traitlets

from facescope import _limits, options
from facescope.__main__ import _parser
from facescope.widget import FaceScope
from tests.browser import ROOT


@pytest.fixture(scope="module")
def front_end() -> dict:
    done = subprocess.run(
        [shutil.which("npx") or "npx", "tsx", "tests/twin_fixture.ts"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_python_and_typescript_tables_agree(front_end):
    ts = [
        (o["name"], o["kind"], o["default"], o["min"], o["max"], o["orZero"], tuple(o["choices"]), o["describe"])
        for o in front_end["options"]
    ]
    py = [
        (o.ts_name, o.kind, o.default, o.min, o.max, o.or_zero, o.choices, o.describe_range())
        for o in options.OPTIONS.values()
    ]
    assert py == ts


def test_python_and_typescript_limits_agree(front_end):
    limits = front_end["limits"]
    assert limits["MAX_CLIP_BYTES"] == _limits.MAX_CLIP_BYTES
    assert limits["TO_KERNEL_MESSAGE_BYTES"] == _limits.TO_KERNEL_MESSAGE_BYTES
    assert limits["TO_BROWSER_MESSAGE_BYTES"] == _limits.TO_BROWSER_MESSAGE_BYTES
    assert limits["tooLargeMessage"] == _limits.too_large_message("big.mp4", 3 * 2**30)
    # The Jupyter server drops browser → kernel messages above ~10 MiB.
    assert _limits.TO_KERNEL_MESSAGE_BYTES < 10 * 2**20


def _analyze_flags() -> dict[str, argparse.Action]:
    return {a.dest: a for a in _parser()._subparsers._group_actions[0].choices["analyze"]._actions}


@pytest.mark.parametrize("option", options.OPTIONS.values(), ids=lambda o: o.name)
def test_every_option_is_a_trait_an_analyze_keyword_and_a_flag_where_it_acts(option):
    scope = FaceScope()
    assert getattr(scope, option.name) == option.default
    assert scope.trait_metadata(option.name, "sync") is True
    assert scope.trait_metadata(option.name, "help") == option.help
    assert options.to_front_end({option.name: option.default}) == {option.ts_name: option.default}
    flag = _analyze_flags().get(option.name)
    if option.where == "everywhere":
        assert flag is not None and flag.option_strings[0] == option.flag
    else:  # a command-line run has no widget: a flag there would do nothing
        assert option.where == "widget" and flag is None
        with pytest.raises(SystemExit):
            _parser().parse_args(["analyze", "c.mp4", "--out", "o", option.flag, str(option.default)])


def test_widget_only_options_are_read_by_widget_code_alone():
    """The table's ``where`` against the front end's sources: an option marked "widget" is read only
    under src/widget/ (the headless page never looks at it), every other one also outside it."""
    sources = [p for p in (ROOT / "src").rglob("*.ts") if not p.name.endswith(".test.ts") and p.name != "options.ts"]
    text = {p: p.read_text() for p in sources}
    for option in options.OPTIONS.values():
        readers = {
            p.relative_to(ROOT / "src").parts[0] for p in sources if re.search(rf"\b{option.ts_name}\b", text[p])
        }
        assert readers, option.name
        assert (readers == {"widget"}) == (option.where == "widget"), (option.name, option.where, readers)


@pytest.mark.parametrize(
    "name, bad",
    [
        ("num_faces", 0),
        ("num_faces", 21),
        ("num_faces", 2.5),
        ("num_faces", True),
        ("min_detection_confidence", 1.5),
        ("min_tracking_confidence", float("nan")),
        ("delegate", "TPU"),
        ("detector", "yes"),
        ("max_dim", 8),
        ("max_frames", -1),
        ("viewer_memory_mb", 0),
    ],
)
def test_out_of_range_values_fail_in_python_naming_the_option(name, bad):
    with pytest.raises(ValueError, match=f"^{name} must be"):
        options.check({name: bad})
    with pytest.raises(traitlets.TraitError, match=name):  # traitlets says a wrong type in its own words
        FaceScope(**{name: bad})
    scope = FaceScope()
    with pytest.raises(ValueError, match=f"^{name} must be"):
        scope.analyze(b"not sent", **{name: bad})
    assert scope._sync.clip is None  # nothing offered to the browser
    with pytest.raises(SystemExit):
        _parser().parse_args(["analyze", "clip.mp4", "--out", "o", options.OPTIONS[name].flag, str(bad)])


def test_zero_switches_off_where_the_table_allows_it():
    assert options.check({"max_dim": 0, "max_frames": 0, "num_faces": 20}) == {
        "max_dim": 0,
        "max_frames": 0,
        "num_faces": 20,
    }
    assert options.check({"min_presence_confidence": 1}) == {"min_presence_confidence": 1.0}


def test_unknown_options_are_refused():
    with pytest.raises(TypeError, match="unknown option.*num_face"):
        options.check({"num_face": 2})
    with pytest.raises(TypeError, match="unknown option"):
        FaceScope().analyze(b"x", height=300)  # a trait, but not an analysis option


def test_cli_flags_follow_the_table():
    args = _parser().parse_args(
        [
            "analyze",
            "c.mp4",
            "--out",
            "o",
            "--num-faces",
            "3",
            "--min-detection-confidence",
            "0.7",
            "--delegate",
            "GPU",
            "--no-detector",
            "--max-frames",
            "10",
        ]
    )
    assert options.from_arguments(args) == {
        "num_faces": 3,
        "min_detection_confidence": 0.7,
        "delegate": "GPU",
        "detector": False,
        "max_frames": 10,
    }


def test_max_frame_is_a_deprecated_alias_of_max_frames():
    with pytest.warns(DeprecationWarning, match="max_frame is deprecated; use max_frames"):
        scope = FaceScope(max_frame=7)
    assert scope.max_frames == 7
    with pytest.warns(DeprecationWarning):
        scope.analyze(b"clip", max_frame=9)
    assert scope.max_frames == 9
    with pytest.warns(DeprecationWarning):
        assert scope.max_frame == 9
    args = _parser().parse_args(["analyze", "c.mp4", "--out", "o", "--max-frame", "4"])
    with pytest.warns(DeprecationWarning):
        assert options.from_arguments(args) == {"max_frames": 4}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FaceScope(max_frames=3)  # the new name never warns
