"""Tests of the headless analyser (`python -m facescope analyze`) and the results codec."""
