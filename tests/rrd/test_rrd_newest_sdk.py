"""Our recordings in the newest rerun-sdk on PyPI (its own venv: tests/rerun_newest.py): its reader
loads them from the footer's manifest, `rerun rrd verify` passes and `rerun rrd migrate` works."""

from __future__ import annotations

import os

import pytest
from rrd_footer import footer_span
from twin import APP_ID

from tests import rerun_newest
from tests.rerun_newest import ALLOW_OFFLINE_SKIP, check_with_newest_sdk


def test_the_newest_sdk_reads_verifies_and_migrates_the_sample(sample, tmp_path):
    found = check_with_newest_sdk(sample["path"], tmp_path)
    print("rerun-sdk", found["version"])
    assert found["recordings"] == [[APP_ID, "facescope-sample"]]
    assert found["blueprints"] == 1
    assert found["store_chunks"] == found["scanned_chunks"] > 0
    assert found["migrated"]["store_chunks"] == found["store_chunks"]


def test_the_newest_sdk_refuses_the_sample_without_its_footer(sample, tmp_path):
    """Guards the check above: without the footer, the same checks must fail."""
    data = sample["path"].read_bytes()
    start, _ = footer_span(data)
    cut = tmp_path / "no_footer.rrd"
    cut.write_bytes(data[: start - 16])
    with pytest.raises(AssertionError, match="(?i)footer|manifest"):
        check_with_newest_sdk(cut, tmp_path)


@pytest.mark.parametrize("allowed", [False, True], ids=["fails", "skips-when-allowed"])
def test_an_unreachable_pypi_fails_the_check_unless_offline_skips_are_allowed(monkeypatch, tmp_path, allowed):
    """A real pip in a fresh venv, pointed at an index nothing listens on (no config files, so no
    local wheel folder or mirror either): without FACESCOPE_ALLOW_OFFLINE_SKIP=1 the test that
    needed the SDK fails, saying how to skip; with it, it skips."""
    monkeypatch.setattr(rerun_newest, "VENV", tmp_path / "venv")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")  # the discard port: refused at once
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    for name in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL"):
        monkeypatch.delenv(name, raising=False)
    if allowed:
        monkeypatch.setenv(ALLOW_OFFLINE_SKIP, "1")
    else:
        monkeypatch.delenv(ALLOW_OFFLINE_SKIP, raising=False)
    # Both outcomes caught, so a skip where a failure is due fails this test instead of skipping it.
    outcomes = (pytest.skip.Exception, pytest.fail.Exception)
    with pytest.raises(outcomes, match="pip could not install the newest rerun-sdk") as raised:
        rerun_newest.newest_sdk()
    assert raised.type is outcomes[0 if allowed else 1]
    assert (ALLOW_OFFLINE_SKIP in str(raised.value)) is not allowed  # the failure says how to skip
    assert not (tmp_path / "venv").exists()  # nothing half-made is taken for the SDK next time
