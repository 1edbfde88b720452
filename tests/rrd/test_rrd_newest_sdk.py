"""Our recordings in the newest rerun-sdk on PyPI (its own venv: tests/rerun_newest.py): its reader
loads them from the footer's manifest, `rerun rrd verify` passes and `rerun rrd migrate` works."""

from __future__ import annotations

import pytest
from rrd_footer import footer_span
from twin import APP_ID

from tests.rerun_newest import check_with_newest_sdk


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
