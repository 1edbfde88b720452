"""The analyser's HTTP server serves its own browser only: another local process that finds the port
gets 404 for the clip, the model and the app without the run's secret, and the port closes when
the run ends."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import textwrap

import pytest

from facescope._server import serve
from tests.browser import MEDIA
from tests.headless.cli_process import listening_ports, start_cli

LONG_CLIP = MEDIA / "a_talking_grid_4speakers.mp4"

# What a curious local process would try once it has found the port; it knows the routes (the
# source is public) but not the secret. Prints {request: status}.
PROBE = textwrap.dedent("""
    import http.client, json, sys
    port = int(sys.argv[1])
    guess = "A" * 43  # the secret's length and alphabet, not its value
    requests = [("GET", p) for p in ("/", "/index.html", "/clip", "/model", "/app/facescope-app.js", "/app/",
                                     f"/{guess}/clip", f"/{guess}/model", f"/{guess}/app/facescope-app.js",
                                     "/../clip", "//clip")]
    requests += [("HEAD", "/clip"), ("HEAD", "/app/facescope-app.js"), ("POST", "/clip"), ("OPTIONS", "/clip")]
    statuses = {}
    for method, path in requests:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(method, path)
        response = conn.getresponse()
        body = response.read()
        statuses[f"{method} {path}"] = [response.status, len(body)]
        conn.close()
    json.dump(statuses, sys.stdout)
""")


def get(url_or_port, path: str = "", method: str = "GET") -> tuple[int, bytes]:
    if isinstance(url_or_port, str):
        rest = url_or_port.split("://", 1)[1]
        hostport, _, prefix = rest.partition("/")
        port, path = int(hostport.split(":")[1]), "/" + prefix + path
    else:
        port = url_or_port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_a_probe_finding_the_port_during_a_run_gets_nothing(app_built, tmp_path):
    run = start_cli(LONG_CLIP, tmp_path / "out", stderr_path=tmp_path / "stderr.txt")
    try:
        ports = run.wait_for("the analyser's listening port", lambda: listening_ports(run.pid))
        assert len(ports) == 1, ports
        probe = subprocess.run(
            [sys.executable, "-c", PROBE, str(ports[0])], capture_output=True, text=True, timeout=120
        )
        assert probe.returncode == 0, probe.stderr
        still_running = run.proc.poll() is None  # so the probe met the live server, not a closed port
        statuses = json.loads(probe.stdout)
    finally:
        returncode = run.finish()
    assert still_running
    assert {request: status for request, (status, _) in statuses.items()} == {request: 404 for request in statuses}
    assert all(length < 1000 for _, length in statuses.values())  # an error page, never a byte of the clip
    # The analyser's own browser, which has the secret, got everything it needed.
    assert returncode == 0, run.stderr()
    assert (run.out / "recording.rrd").stat().st_size > 0


def test_only_urls_with_the_secret_are_served_and_only_while_running(tmp_path):
    (tmp_path / "facescope-app.js").write_text("export const app = 1;")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.js").write_text("x")
    clip = b"\x00\x00\x00\x18ftypmp42 the clip"
    with serve(tmp_path, {"clip": clip, "model": b"PK model"}) as url:
        base = url.split("/", 3)
        port, secret = int(base[2].split(":")[1]), base[3].rstrip("/")
        assert len(secret) >= 43  # 256 bits, URL-safe base64
        assert get(url, "clip") == (200, clip)
        assert get(url, "model") == (200, b"PK model")
        assert get(url, "app/facescope-app.js") == (200, b"export const app = 1;")
        assert get(url)[0] == 200 and b"facescope-app.js" in get(url)[1]  # the page
        assert get(url, "app/sub/")[0] == 404  # no directory listings, even with the secret
        assert get(url, "app/../../etc/passwd")[0] == 404
        assert get(url, "clip", method="HEAD")[0] == 404
        assert get(port, "/clip")[0] == 404
        assert get(port, "/app/facescope-app.js")[0] == 404
        assert get(port, f"/{secret[:-1]}X/clip")[0] == 404  # one character off
        assert get(port, f"/{secret}x/clip")[0] == 404
        with serve(tmp_path, {"clip": clip}) as other:
            assert other.split("/")[3] != secret  # a new secret each run
    with pytest.raises(ConnectionRefusedError):  # stopped with the block
        get(port, "/")
