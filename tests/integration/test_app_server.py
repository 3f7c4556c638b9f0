"""bench/_app_server.py's AppServer when its free port is taken before the server binds it."""

from __future__ import annotations

import http.server
import json
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import _app_server  # noqa: E402
from _app_server import AppServer  # noqa: E402


class _Impostor(http.server.BaseHTTPRequestHandler):
    """Another program on the port: it answers the readiness check as the app would."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = json.dumps({"impostor": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def impostor() -> Iterator[int]:
    """The port of an HTTP server that is not the app."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Impostor)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def test_a_port_taken_between_picking_and_starting_is_replaced(
    tmp_path: Path, impostor: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # free_port() said the port was free; by the time the server binds it, another program has it.
    ports = iter([impostor])
    real_free_port = _app_server.free_port
    monkeypatch.setattr(_app_server, "free_port", lambda: next(ports, None) or real_free_port())
    server = AppServer(tmp_path / "data")
    assert server.port == impostor
    try:
        url = server.start()
        assert server.port != impostor and url == f"http://127.0.0.1:{server.port}"
        with urllib.request.urlopen(url + "/auth/config", timeout=10) as response:
            config = json.load(response)
        assert "impostor" not in config and "requireLogin" in config
        assert "address already in use" in server.log_path.read_text(errors="replace")
    finally:
        server.stop()


def test_a_port_given_by_the_caller_is_kept_and_its_loss_is_an_error(tmp_path: Path, impostor: int) -> None:
    server = AppServer(tmp_path / "data", port=impostor)
    with pytest.raises(RuntimeError, match="address already in use"):
        server.start(timeout=120)
    assert server.port == impostor
