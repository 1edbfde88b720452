"""The FaceScope Python class: traits, validation, packaging of the front end."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import traitlets

import facescope
from facescope import FaceScope

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_and_sync_tags():
    scope = FaceScope()
    assert scope.height == 640
    assert scope.state == "loading"
    state = scope.get_state()
    assert {"height", "state", "status"} <= set(state)


def test_height_is_validated():
    assert FaceScope(height=480).height == 480
    with pytest.raises(traitlets.TraitError, match="at least 200"):
        FaceScope(height=50)


def test_state_is_read_only_for_users_but_settable_by_the_front_end():
    scope = FaceScope()
    with pytest.raises(traitlets.TraitError):
        scope.state = "ready"
    scope.set_state({"state": "ready", "status": "Viewer ready"})
    assert (scope.state, scope.status) == ("ready", "Viewer ready")


def test_esm_is_the_small_bootstrap():
    esm = str(FaceScope._esm)  # anywidget reads the file into a str subclass
    assert "export" in esm and "facescope/app/facescope-app.js" in esm
    # anywidget aborts a module that takes over 2 s to load: the bootstrap must stay tiny.
    assert len(esm) < 20_000


def test_versions_agree():
    package = json.loads((ROOT / "package.json").read_text())
    assert facescope.__version__ == package["version"]


def test_labextension_paths_point_at_the_built_extension():
    (entry,) = facescope._jupyter_labextension_paths()
    built = Path(facescope.__file__).parent / entry["src"]
    meta = json.loads((built / "package.json").read_text())
    assert entry["dest"] == meta["name"] == "facescope"
    assert (built / "app" / "facescope-app.js").exists()
    assert list((built / "app").glob("re_viewer_bg.*.wasm")), "the viewer wasm must ship with the app"
