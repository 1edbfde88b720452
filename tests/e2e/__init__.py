"""End-to-end tests: real JupyterLab and Notebook 7 servers driven in real Chromium."""
