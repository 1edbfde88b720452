"""facescope test suites; shared helpers live in tests/browser.py and tests/conftest.py."""
